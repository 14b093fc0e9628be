import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `spotify` preset.
 * @publicApi
 */
export interface SpotifyPresetOptions extends PresetOptions {
  /** Show the approval dialog even to users who already approved (`show_dialog=true`). */
  showDialog?: boolean;
}

// Not verified (2026-12-01): https://developer.spotify.com/documentation/web-api/tutorials/code-flow: accounts.spotify.com/authorize and /api/token
/**
 * Spotify: credentials from developer.spotify.com/dashboard → your app → Settings; scopes `user-read-email`, `user-read-private`, `playlist-read-private`...
 * @publicApi
 */
export const spotify = definePreset<SpotifyPresetOptions>(
  {
    name: 'spotify',
    title: 'Spotify',
    console: 'developer.spotify.com/dashboard → your app → Settings',
    scopes:
      '`user-read-email user-read-private` for the profile; `playlist-read-private`, `user-library-read`...',
    defaultScope: ['user-read-email', 'user-read-private'],
    options: { showDialog: '`show_dialog=true`' },
    flaskDance: true,
    verification: {
      unverified:
        "Spotify's own authorization guides (developer.spotify.com) were not among the stored pages this check could read; the endpoints, Basic client authentication and PKCE agree with Spotify-based SDK documentation, not with Spotify's page itself.",
    },
  },
  (options) => ({
    authorizationUrl: 'https://accounts.spotify.com/authorize',
    tokenUrl: 'https://accounts.spotify.com/api/token',
    refreshUrl: 'https://accounts.spotify.com/api/token',
    baseUrl: 'https://api.spotify.com/v1/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    authorizationParams: params({
      show_dialog: options.showDialog ? 'true' : undefined,
    }),
    userInfoUrl: 'https://api.spotify.com/v1/me',
    profile: (raw) =>
      toProfile('spotify', raw, {
        id: raw.id,
        name: raw.display_name,
        email: raw.email,
        avatarUrl: pick(raw, 'images.0.url'),
      }),
  }),
);

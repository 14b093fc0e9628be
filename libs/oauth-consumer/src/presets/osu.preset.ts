import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `osu` preset.
 * @publicApi
 */
export type OsuPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://osu.ppy.sh/docs/: osu.ppy.sh/oauth/authorize, POST /oauth/token (client_id and client_secret in the body), space-delimited scopes, 1-day access tokens; every refresh
// answers with a new refresh token (rotating); no PKCE documented; revocation is DELETE /api/v2/oauth/tokens/current (not RFC 7009).
/**
 * osu! (API v2): OAuth application from the account settings page; scopes `identify`, `public`, `friends.read`.
 * @publicApi
 */
export const osu = definePreset<OsuPresetOptions>(
  {
    name: 'osu',
    title: 'osu!',
    console:
      'osu! account settings → OAuth → New OAuth Application (client ID, client secret, callback URL)',
    scopes:
      '`identify` (default, needed for /me), `public`, `friends.read`, `chat.read`, `chat.write`, `forum.write`.',
    defaultScope: ['identify', 'public'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://osu.ppy.sh/docs/',
      rotating: true,
      notes:
        'Read from the documentation source, ppy/osu-web resources/views/docs/auth.blade.php (Authentication section).',
    },
    notes:
      'osu! shares no e-mail address: the profile has the username and avatar only.',
  },
  () => ({
    authorizationUrl: 'https://osu.ppy.sh/oauth/authorize',
    tokenUrl: 'https://osu.ppy.sh/oauth/token',
    refreshUrl: 'https://osu.ppy.sh/oauth/token',
    baseUrl: 'https://osu.ppy.sh/api/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://osu.ppy.sh/api/v2/me',
    profile: (raw) =>
      toProfile('osu', raw, {
        id: raw.id,
        name: raw.username,
        avatarUrl: raw.avatar_url,
      }),
  }),
);

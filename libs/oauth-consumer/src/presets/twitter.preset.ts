import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `twitter` preset (X, OAuth 2.0). Omit `clientSecret` for a public client.
 * @publicApi
 */
export type TwitterPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token: authorization code flow with PKCE (required) at x.com/i/oauth2/authorize, space-separated
// scopes with offline.access for a refresh token, api.x.com/2/oauth2/token with a Basic header for confidential clients, /2/oauth2/revoke.
/**
 * X (Twitter) OAuth 2.0 with PKCE: credentials from developer.x.com → Projects & Apps → User authentication settings; scopes `users.read tweet.read`, `offline.access` for refresh.
 * @publicApi
 */
export const twitter = definePreset<TwitterPresetOptions>(
  {
    name: 'twitter',
    title: 'X (Twitter)',
    console:
      'developer.x.com → Projects & Apps → your app → User authentication settings (OAuth 2.0)',
    scopes:
      '`users.read tweet.read` for the profile; `offline.access` for refresh tokens; `tweet.write`, `users.email`...',
    defaultScope: ['users.read', 'tweet.read', 'offline.access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token',
    },
    notes:
      'PKCE is mandatory. Confidential clients authenticate with a Basic header; public clients (no secret) send `client_id` in the body.',
  },
  () => ({
    authorizationUrl: 'https://x.com/i/oauth2/authorize',
    tokenUrl: 'https://api.x.com/2/oauth2/token',
    refreshUrl: 'https://api.x.com/2/oauth2/token',
    revocationUrl: 'https://api.x.com/2/oauth2/revoke',
    baseUrl: 'https://api.x.com/2/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl:
      'https://api.x.com/2/users/me?user.fields=profile_image_url,confirmed_email',
    profile: (raw) =>
      toProfile('twitter', raw, {
        id: pick(raw, 'data.id'),
        name: pick(raw, 'data.name') ?? pick(raw, 'data.username'),
        email: pick(raw, 'data.confirmed_email'),
        avatarUrl: pick(raw, 'data.profile_image_url'),
      }),
  }),
);

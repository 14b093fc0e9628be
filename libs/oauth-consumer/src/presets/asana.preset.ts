import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `asana` preset.
 * @publicApi
 */
export type AsanaPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.asana.com/docs/oauth: authorization code grant at app.asana.com/-/oauth_authorize, POST /-/oauth_token for codes and
// refresh tokens, POST /-/oauth_revoke, space-separated granular scopes, PKCE (S256) supported.
/**
 * Asana: credentials from app.asana.com/0/my-apps → OAuth; no scope means full access, or granular ones such as `users:read`, `tasks:read`.
 * @publicApi
 */
export const asana = definePreset<AsanaPresetOptions>(
  {
    name: 'asana',
    title: 'Asana',
    console: 'app.asana.com/0/my-apps → your app → OAuth',
    scopes:
      'none (full permissions), or granular scopes such as `users:read`, `tasks:read`, `openid email profile`.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.asana.com/docs/oauth',
    },
  },
  () => ({
    authorizationUrl: 'https://app.asana.com/-/oauth_authorize',
    tokenUrl: 'https://app.asana.com/-/oauth_token',
    refreshUrl: 'https://app.asana.com/-/oauth_token',
    revocationUrl: 'https://app.asana.com/-/oauth_revoke',
    baseUrl: 'https://app.asana.com/api/1.0/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://app.asana.com/api/1.0/users/me',
    profile: (raw) =>
      toProfile('asana', raw, {
        id: pick(raw, 'data.gid'),
        name: pick(raw, 'data.name'),
        email: pick(raw, 'data.email'),
        avatarUrl: pick(raw, 'data.photo.image_128x128'),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `box` preset.
 * @publicApi
 */
export type BoxPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.box.com/guides/authentication/tokens/access-tokens: account.box.com/api/oauth2/authorize, api.box.com/oauth2/token (form, client id and secret in the
// body) returns an access and refresh token pair, each refresh token usable once; api.box.com/oauth2/revoke; no PKCE documented.
/**
 * Box: credentials from app.box.com/developers/console (Custom App, User Authentication OAuth 2.0); scopes are set on the app (`root_readonly`, `root_readwrite`).
 * @publicApi
 */
export const box = definePreset<BoxPresetOptions>(
  {
    name: 'box',
    title: 'Box',
    console:
      'app.box.com/developers/console → Custom App → User Authentication (OAuth 2.0)',
    scopes:
      'set on the app (`root_readonly`, `root_readwrite`, `manage_users`); a subset may be asked for.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.box.com/guides/authentication/tokens/access-tokens',
      rotating: true,
    },
    notes: 'Refresh tokens rotate on every use (single use, 60 days).',
  },
  () => ({
    authorizationUrl: 'https://account.box.com/api/oauth2/authorize',
    tokenUrl: 'https://api.box.com/oauth2/token',
    refreshUrl: 'https://api.box.com/oauth2/token',
    revocationUrl: 'https://api.box.com/oauth2/revoke',
    baseUrl: 'https://api.box.com/2.0/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.box.com/2.0/users/me',
    profile: (raw) =>
      toProfile('box', raw, {
        id: raw.id,
        name: raw.name,
        email: raw.login,
        avatarUrl: raw.avatar_url,
      }),
  }),
);

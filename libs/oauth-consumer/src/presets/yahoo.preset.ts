import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `yahoo` preset.
 * @publicApi
 */
export type YahooPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.yahoo.com/oauth2/guide/openid_connect/getting_started.html: OpenID Connect authorization code flow at api.login.yahoo.com/oauth2/request_auth returning an ID token, access token and refresh
// token from api.login.yahoo.com/oauth2/get_token (Basic header with consumer key and secret); API permissions are chosen on the app; no PKCE or revocation documented.
/**
 * Yahoo: credentials from developer.yahoo.com/apps; scopes `openid profile email` (API permissions are set on the app).
 * @publicApi
 */
export const yahoo = definePreset<YahooPresetOptions>(
  {
    name: 'yahoo',
    title: 'Yahoo',
    console: 'developer.yahoo.com/apps → Create an App',
    scopes:
      '`openid profile email` (OpenID Connect permissions chosen on the app).',
    defaultScope: ['openid', 'profile', 'email'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.yahoo.com/oauth2/guide/openid_connect/getting_started.html',
    },
  },
  () => ({
    authorizationUrl: 'https://api.login.yahoo.com/oauth2/request_auth',
    tokenUrl: 'https://api.login.yahoo.com/oauth2/get_token',
    refreshUrl: 'https://api.login.yahoo.com/oauth2/get_token',
    baseUrl: 'https://api.login.yahoo.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.login.yahoo.com/openid/v1/userinfo',
    profile: (raw) =>
      toProfile('yahoo', raw, {
        id: raw.sub,
        name: raw.name,
        email: raw.email,
        avatarUrl: raw.picture,
      }),
  }),
);

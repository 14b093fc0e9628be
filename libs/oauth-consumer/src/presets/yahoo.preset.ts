import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `yahoo` preset.
 * @publicApi
 */
export type YahooPresetOptions = PresetOptions;

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

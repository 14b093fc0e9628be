import { definePreset, hostOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `authentiq` preset.
 * @publicApi
 */
export interface AuthentiqPresetOptions extends PresetOptions {
  /** The Authentiq server (default `connect.authentiq.io`). */
  hostname?: string;
}

// Checked 2026-12-01 against https://developers.authentiq.com/get-started/: OpenID Connect with discovery at connect.authentiq.io/.well-known/openid-configuration,
// /authorize, /token and /userinfo, client id and secret; PKCE is not mentioned.
/**
 * Authentiq (OpenID Connect): credentials from the Authentiq dashboard; scopes `openid`, `profile`, `email`.
 * @publicApi
 */
export const authentiq = definePreset<AuthentiqPresetOptions>(
  {
    name: 'authentiq',
    title: 'Authentiq',
    console: 'the Authentiq dashboard (dashboard.authentiq.com) → Applications',
    scopes: '`openid` and `profile`; `email` for the address.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      hostname: 'the Authentiq server (default `connect.authentiq.io`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.authentiq.com/get-started/',
    },
  },
  (options) => {
    const host = hostOption(
      'authentiq',
      'hostname',
      options.hostname ?? 'connect.authentiq.io',
      "give the Authentiq server's host name, e.g. 'connect.authentiq.io'",
    );
    return {
      authorizationUrl: `https://${host}/authorize`,
      tokenUrl: `https://${host}/token`,
      refreshUrl: `https://${host}/token`,
      baseUrl: `https://${host}/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `https://${host}/userinfo`,
      profile: (raw) =>
        toProfile('authentiq', raw, {
          id: raw.sub,
          name: raw.name,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `adobe` preset.
 * @publicApi
 */
export type AdobePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.adobe.com/developer-console/docs/guides/authentication/UserAuthentication/ims: OpenID configuration at ims-na1.adobelogin.com/ims/.well-known/openid-configuration: /ims/authorize/v2, /ims/token/v3
// (client_secret_basic or client_secret_post), /ims/userinfo/v2, /ims/revoke; authorization_code and refresh_token grants; comma-separated scopes in the examples, offline_access for refresh tokens.
/**
 * Adobe (Identity Management Services): credentials from the Adobe Developer Console (OAuth Web App); scopes `openid`, `AdobeID`, `offline_access`...
 * @publicApi
 */
export const adobe = definePreset<AdobePresetOptions>(
  {
    name: 'adobe',
    title: 'Adobe (IMS)',
    console:
      'developer.adobe.com/console → your project → add an API → OAuth Web App credential (client id and secret, redirect URI pattern)',
    scopes:
      '`openid AdobeID email profile` for sign-in; `offline_access` for refresh tokens; API scopes such as `creative_sdk`, `read_organizations`.',
    defaultScope: ['openid', 'AdobeID', 'email', 'profile'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.adobe.com/developer-console/docs/guides/authentication/UserAuthentication/ims',
    },
    notes: 'Refresh tokens come only with the `offline_access` scope.',
  },
  () => ({
    authorizationUrl: 'https://ims-na1.adobelogin.com/ims/authorize/v2',
    tokenUrl: 'https://ims-na1.adobelogin.com/ims/token/v3',
    refreshUrl: 'https://ims-na1.adobelogin.com/ims/token/v3',
    revocationUrl: 'https://ims-na1.adobelogin.com/ims/revoke',
    baseUrl: 'https://ims-na1.adobelogin.com/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://ims-na1.adobelogin.com/ims/userinfo/v2',
    profile: (raw) =>
      toProfile('adobe', raw, {
        id: raw.sub,
        name: raw.name,
        email: raw.email,
      }),
  }),
);

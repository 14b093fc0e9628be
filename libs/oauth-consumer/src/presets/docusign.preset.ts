import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `docusign` preset.
 * @publicApi
 */
export interface DocuSignPresetOptions extends PresetOptions {
  /** Use the developer sandbox (`account-d.docusign.com`) instead of production. */
  sandbox?: boolean;
}

// Checked 2026-12-01 against https://docs.docusign.com/esign/guide/authentication/oa2_auth_code.html: authorization code grant at account.docusign.com/oauth/auth
// (account-d.docusign.com for the sandbox), /oauth/token with a Basic header, 8-hour access tokens and 30-day refresh tokens (`extended` scope to keep refreshing), /oauth/userinfo.
/**
 * Docusign (eSignature): integration key and secret from the Docusign Apps and Keys page; scopes `signature`, `extended`; `sandbox: true` for the developer account.
 * @publicApi
 */
export const docusign = definePreset<DocuSignPresetOptions>(
  {
    name: 'docusign',
    title: 'Docusign',
    console:
      'Docusign admin → Apps and Keys → Add app and integration key (integration key, secret key, redirect URI)',
    scopes:
      '`signature` for the eSignature API; `extended` for refresh tokens that keep renewing; `openid` for the user info.',
    defaultScope: ['signature'],
    options: {
      sandbox: 'the developer sandbox (`account-d.docusign.com`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.docusign.com/esign/guide/authentication/oa2_auth_code.html',
      notes:
        'Refresh tokens last 30 days (Docusign developer blog, Authorization Code Grant refresh tokens); with `extended` each refresh extends them.',
    },
    notes:
      "API calls go to the account's own base URI: read `accounts[].base_uri` from the user info and give `blueprint.fetch()` absolute URLs such as `{base_uri}/restapi/v2.1/accounts/{account_id}/envelopes`.",
  },
  (options) => {
    const host = options.sandbox
      ? 'https://account-d.docusign.com'
      : 'https://account.docusign.com';
    return {
      authorizationUrl: `${host}/oauth/auth`,
      tokenUrl: `${host}/oauth/token`,
      refreshUrl: `${host}/oauth/token`,
      baseUrl: `${host}/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      userInfoUrl: `${host}/oauth/userinfo`,
      profile: (raw) =>
        toProfile('docusign', raw, {
          id: raw.sub,
          name: raw.name,
          email: raw.email,
        }),
    };
  },
);

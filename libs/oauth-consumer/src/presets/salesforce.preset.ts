import { definePreset, hostOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `salesforce` preset.
 * @publicApi
 */
export interface SalesforcePresetOptions extends PresetOptions {
  /** The login host: a My Domain (`acme.my.salesforce.com`) or `login.salesforce.com` (default). */
  hostname?: string;
  /** Log in to a sandbox (`test.salesforce.com`) when no `hostname` is given. */
  isSandbox?: boolean;
}

// Checked 2026-12-01 against https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/intro_oauth_web_server_flow.htm: web server flow at {login|test|My Domain}.salesforce.com/services/oauth2/authorize, /token and /revoke, PKCE
// (code_challenge, code_verifier) recommended, space-separated scopes with refresh_token (or offline_access) for a refresh token; the token response carries instance_url and id.
/**
 * Salesforce: credentials from Setup → App Manager → New Connected App (consumer key and secret); scopes `api`, `refresh_token`, `openid`.
 * @publicApi
 */
export const salesforce = definePreset<SalesforcePresetOptions>(
  {
    name: 'salesforce',
    title: 'Salesforce',
    console:
      'Salesforce Setup → App Manager → New Connected App (consumer key and secret)',
    scopes:
      '`api` for the REST API, `refresh_token` for refresh tokens, `openid` or `id` for the user info.',
    defaultScope: ['id', 'api', 'refresh_token'],
    options: {
      hostname: 'a My Domain login host (default `login.salesforce.com`)',
      isSandbox: 'use `test.salesforce.com`',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/intro_oauth_web_server_flow.htm',
      notes:
        'Salesforce Help (remoteaccess_oauth_web_server_flow) recommends the web server flow with PKCE.',
    },
    notes:
      "The token response carries `instance_url`: the org's API root (e.g. `https://acme.my.salesforce.com/services/data/v62.0/`).",
  },
  (options) => {
    const host = hostOption(
      'salesforce',
      'hostname',
      options.hostname ??
        (options.isSandbox ? 'test.salesforce.com' : 'login.salesforce.com'),
      "give your org's My Domain login host, e.g. 'acme.my.salesforce.com'",
    );
    return {
      authorizationUrl: `https://${host}/services/oauth2/authorize`,
      tokenUrl: `https://${host}/services/oauth2/token`,
      refreshUrl: `https://${host}/services/oauth2/token`,
      revocationUrl: `https://${host}/services/oauth2/revoke`,
      baseUrl: `https://${host}/`,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `https://${host}/services/oauth2/userinfo`,
      profile: (raw) =>
        toProfile('salesforce', raw, {
          id: raw.user_id ?? raw.sub,
          name: raw.name,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `sage` preset.
 * @publicApi
 */
export type SagePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.sage.com/accounting/guides/authenticating/authentication: authorization code only: www.sageone.com/oauth2/auth/central?filter=apiv3.1, POST oauth.accounting.sage.com/token (client_id and client_secret in
// the body); 5-minute access tokens, each refresh returns a new refresh token (rotating); revocation at oauth.accounting.sage.com/revoke; scope `full_access` or `readonly`.
/**
 * Sage Accounting (Sage Business Cloud Accounting, API v3.1): app from the Sage Developer App Registry; scope `full_access` or `readonly`.
 * @publicApi
 */
export const sage = definePreset<SagePresetOptions>(
  {
    name: 'sage',
    title: 'Sage Accounting',
    console:
      'developer.sage.com → App Registry → Create App (client ID, client secret, callback URLs)',
    scopes: '`full_access` or `readonly`.',
    defaultScope: ['full_access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.sage.com/accounting/guides/authenticating/authentication',
      rotating: true,
      notes:
        'Revocation (POST form with client_id, client_secret, token) as in the same guide; refresh-token lifetime per the Sage Accounting guides.',
    },
    notes:
      'A token reaches every business of the user: send `X-Business: {business id}` (from `/v3.1/businesses`) on API calls for another business than the lead one. Refresh tokens are single-use and die after 31 days unused.',
  },
  () => ({
    authorizationUrl: 'https://www.sageone.com/oauth2/auth/central',
    tokenUrl: 'https://oauth.accounting.sage.com/token',
    refreshUrl: 'https://oauth.accounting.sage.com/token',
    revocationUrl: 'https://oauth.accounting.sage.com/revoke',
    baseUrl: 'https://api.accounting.sage.com/v3.1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: { filter: 'apiv3.1' },
    userInfoUrl: 'https://api.accounting.sage.com/v3.1/user',
    profile: (raw) =>
      toProfile('sage', raw, {
        id: raw.id,
        name: joined(raw.first_name, raw.last_name),
        email: raw.email,
      }),
  }),
);

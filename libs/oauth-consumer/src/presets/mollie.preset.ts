import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `mollie` preset.
 * @publicApi
 */
export type MolliePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.mollie.com/reference/authorize-endpoint: my.mollie.com/oauth2/authorize (state and space-separated scope required), POST api.mollie.com/oauth2/tokens with HTTP Basic client credentials for the
// code and refresh_token grants; 1-hour access tokens, refresh tokens without expiry; revocation is DELETE /oauth2/tokens (not RFC 7009); no PKCE documented.
/**
 * Mollie Connect: OAuth app from the Mollie Dashboard → Developers → Your apps; scopes `organizations.read`, `payments.read`, `payments.write`, `profiles.read`.
 * @publicApi
 */
export const mollie = definePreset<MolliePresetOptions>(
  {
    name: 'mollie',
    title: 'Mollie',
    console:
      'Mollie Dashboard → Developers → Your apps → Create app (client ID `app_…`, client secret, redirect URL)',
    scopes:
      '`organizations.read` (the profile), `payments.read`, `payments.write`, `profiles.read`, `refunds.write`, `onboarding.read`… (space-separated).',
    defaultScope: ['organizations.read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.mollie.com/reference/authorize-endpoint',
      notes:
        'Basic client authentication per the Mollie changelog "Fix OAuth token endpoints to use Basic Authentication" and the generate/revoke tokens reference.',
    },
    notes:
      'The profile is the merchant organization (`/v2/organizations/me`), which needs `organizations.read`.',
  },
  () => ({
    authorizationUrl: 'https://my.mollie.com/oauth2/authorize',
    tokenUrl: 'https://api.mollie.com/oauth2/tokens',
    refreshUrl: 'https://api.mollie.com/oauth2/tokens',
    baseUrl: 'https://api.mollie.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.mollie.com/v2/organizations/me',
    profile: (raw) =>
      toProfile('mollie', raw, {
        id: raw.id,
        name: raw.name,
        email: raw.email,
      }),
  }),
);

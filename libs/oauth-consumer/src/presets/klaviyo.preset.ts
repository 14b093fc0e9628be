import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `klaviyo` preset.
 * @publicApi
 */
export type KlaviyoPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.klaviyo.com/en/docs/set_up_oauth: authorization code with PKCE (required) at www.klaviyo.com/oauth/authorize; token and revocation traffic must go to
// a.klaviyo.com/oauth/token and /oauth/revoke (www.klaviyo.com blocked since 2025-03-31); space-separated scopes; 1-hour access tokens with refresh tokens.
/**
 * Klaviyo (public OAuth apps): app from Klaviyo Settings → Integrations → Manage apps; scopes `accounts:read`, `profiles:read`, `events:write`.
 * @publicApi
 */
export const klaviyo = definePreset<KlaviyoPresetOptions>(
  {
    name: 'klaviyo',
    title: 'Klaviyo',
    console:
      'Klaviyo → Settings → Integrations → Manage apps → Create app (client ID, client secret, redirect URL, scopes)',
    scopes:
      '`accounts:read` (needed for the profile), `profiles:read`, `profiles:write`, `lists:read`, `campaigns:read`, `events:write`…',
    defaultScope: ['accounts:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.klaviyo.com/en/docs/set_up_oauth',
      notes:
        "Client authentication with a Basic header as in Klaviyo's OAuth examples (github.com/klaviyo-labs).",
    },
    notes:
      'Every API call carries the date-versioned `revision` header (the preset sends 2026-10-15; override `headers` on the blueprint for another revision). The profile is the Klaviyo account, read from `/api/accounts/`.',
  },
  () => ({
    authorizationUrl: 'https://www.klaviyo.com/oauth/authorize',
    tokenUrl: 'https://a.klaviyo.com/oauth/token',
    refreshUrl: 'https://a.klaviyo.com/oauth/token',
    revocationUrl: 'https://a.klaviyo.com/oauth/revoke',
    baseUrl: 'https://a.klaviyo.com/api/',
    headers: { revision: '2026-10-15' },
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://a.klaviyo.com/api/accounts/',
    profile: (raw) =>
      toProfile('klaviyo', raw, {
        id: pick(raw, 'data.0.id'),
        name: pick(
          raw,
          'data.0.attributes.contact_information.organization_name',
        ),
        email: pick(
          raw,
          'data.0.attributes.contact_information.default_sender_email',
        ),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `xero` preset.
 * @publicApi
 */
export type XeroPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.xero.com/faq/oauth2: login.xero.com/identity/connect/authorize (space-separated scopes, offline_access for refresh), identity.xero.com/connect/token with a Basic header, PKCE for apps without a
// secret; 30-minute access tokens, refresh tokens replaced on each refresh (30-minute retry grace, unused ones expire after 60 days); tenants from api.xero.com/connections.
/**
 * Xero: credentials from developer.xero.com/app/manage (Web app); scopes `openid profile email offline_access` plus `accounting.transactions`...
 * @publicApi
 */
export const xero = definePreset<XeroPresetOptions>(
  {
    name: 'xero',
    title: 'Xero',
    console: 'developer.xero.com/app/manage → New app (Web app)',
    scopes:
      '`openid profile email`; `offline_access` for refresh tokens; `accounting.transactions`, `accounting.contacts`...',
    defaultScope: ['openid', 'profile', 'email', 'offline_access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.xero.com/faq/oauth2',
      rotating: true,
    },
    notes:
      'API calls need a `xero-tenant-id` header: list the tenants with `GET https://api.xero.com/connections`. Refresh tokens rotate.',
  },
  () => ({
    authorizationUrl: 'https://login.xero.com/identity/connect/authorize',
    tokenUrl: 'https://identity.xero.com/connect/token',
    refreshUrl: 'https://identity.xero.com/connect/token',
    revocationUrl: 'https://identity.xero.com/connect/revocation',
    baseUrl: 'https://api.xero.com/api.xro/2.0/',
    issuer: 'https://identity.xero.com',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://identity.xero.com/connect/userinfo',
    profile: (raw) =>
      toProfile('xero', raw, {
        id: raw.xero_userid ?? raw.sub,
        name: raw.name,
        email: raw.email,
      }),
  }),
);

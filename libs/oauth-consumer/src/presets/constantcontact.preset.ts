import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `constantcontact` preset.
 * @publicApi
 */
export type ConstantContactPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.constantcontact.com/api_guide/server_flow.html: authz.constantcontact.com/oauth2/default/v1/authorize and /v1/token (client_id:secret as a Basic header),
// space-separated scopes with `offline_access` for a refresh token, JWT access tokens; PKCE is documented for public clients only.
/**
 * Constant Contact (V3 API): application from the V3 Developer Portal; scopes `contact_data`, `campaign_data`, `account_read`, `offline_access`.
 * @publicApi
 */
export const constantcontact = definePreset<ConstantContactPresetOptions>(
  {
    name: 'constantcontact',
    title: 'Constant Contact',
    console:
      'Constant Contact V3 Developer Portal → My Applications → New Application (API key, client secret, redirect URI, refresh token type)',
    scopes:
      '`account_read`, `account_update`, `contact_data`, `campaign_data`; `offline_access` for a refresh token.',
    defaultScope: ['account_read', 'contact_data', 'offline_access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.constantcontact.com/api_guide/server_flow.html',
      notes:
        'Scopes per developer.constantcontact.com/api_guide/scopes.html; the refresh token type (rotating or long lived) is chosen per application.',
    },
    notes:
      'Refresh tokens rotate or are long-lived as the application\'s "Refresh Token Type" says; with rotating ones each refresh returns a new refresh token. The profile needs `account_read`.',
  },
  () => ({
    authorizationUrl:
      'https://authz.constantcontact.com/oauth2/default/v1/authorize',
    tokenUrl: 'https://authz.constantcontact.com/oauth2/default/v1/token',
    refreshUrl: 'https://authz.constantcontact.com/oauth2/default/v1/token',
    baseUrl: 'https://api.cc.email/v3/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.cc.email/v3/account/summary',
    profile: (raw) =>
      toProfile('constantcontact', raw, {
        id: raw.encoded_account_id,
        name: joined(raw.first_name, raw.last_name) ?? raw.organization_name,
        email: raw.contact_email,
      }),
  }),
);

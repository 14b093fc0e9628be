import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `intuit` preset (QuickBooks Online).
 * @publicApi
 */
export interface IntuitPresetOptions extends PresetOptions {
  /** Use the sandbox API and user-info hosts (development keys). */
  sandbox?: boolean;
}

// Checked 2026-12-01 against https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0: code from appcenter.intuit.com/connect/oauth2 tied to a realmId, exchanged at oauth.platform.intuit.com/oauth2/v1/tokens/bearer with a
// Basic header; space-separated scopes (com.intuit.quickbooks.accounting, openid...); keep the latest refresh token each refresh returns; its revoke endpoint takes JSON, so none is configured.
/**
 * Intuit (QuickBooks Online): credentials from developer.intuit.com → My Hub → App dashboard → Keys & credentials; scopes `com.intuit.quickbooks.accounting`, `openid profile email`.
 * @publicApi
 */
export const intuit = definePreset<IntuitPresetOptions>(
  {
    name: 'intuit',
    title: 'Intuit QuickBooks',
    console:
      'developer.intuit.com → My Hub → App dashboard → Keys & credentials',
    scopes:
      '`com.intuit.quickbooks.accounting` (or `.payment`); `openid profile email` for the user info.',
    defaultScope: [
      'com.intuit.quickbooks.accounting',
      'openid',
      'profile',
      'email',
    ],
    options: { sandbox: 'sandbox API and user-info hosts' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
      rotating: true,
    },
    notes:
      'The callback carries `realmId` (the company id) that API paths need: read it in the `authorized` hook.',
  },
  (options) => {
    const sandbox = options.sandbox ? 'sandbox-' : '';
    return {
      authorizationUrl: 'https://appcenter.intuit.com/connect/oauth2',
      tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      refreshUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      baseUrl: `https://${sandbox}quickbooks.api.intuit.com/v3/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      userInfoUrl: `https://${sandbox}accounts.platform.intuit.com/v1/openid_connect/userinfo`,
      profile: (raw) =>
        toProfile('intuit', raw, {
          id: raw.sub,
          name: joined(raw.givenName, raw.familyName),
          email: raw.email,
        }),
    };
  },
);

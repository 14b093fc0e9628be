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

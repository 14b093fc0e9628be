import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `paypal` preset.
 * @publicApi
 */
export interface PayPalPresetOptions extends PresetOptions {
  /** Use the sandbox (`sandbox.paypal.com`, `api-m.sandbox.paypal.com`). */
  sandbox?: boolean;
}

// Checked 2026-12-01 against https://developer.paypal.com/docs/log-in-with-paypal/integrate/build-button: www.paypal.com/signin/authorize?flowEntry=static with space-separated scopes (openid required: profile email address...), the code
// exchanged at api-m.paypal.com/v1/oauth2/token with a Basic header, refresh tokens exchanged there too, customer info from the Identity API userinfo; no PKCE.
/**
 * Log in with PayPal: credentials from developer.paypal.com → Apps & Credentials (enable Log in with PayPal); scopes `openid email profile`.
 * @publicApi
 */
export const paypal = definePreset<PayPalPresetOptions>(
  {
    name: 'paypal',
    title: 'PayPal (Log in with PayPal)',
    console:
      'developer.paypal.com → Apps & Credentials → your app → Log in with PayPal',
    scopes:
      '`openid email profile`; `address`, `https://uri.paypal.com/services/paypalattributes`.',
    defaultScope: ['openid', 'email', 'profile'],
    options: { sandbox: 'sandbox hosts' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.paypal.com/docs/log-in-with-paypal/integrate/build-button',
    },
  },
  (options) => {
    const sandbox = options.sandbox ? 'sandbox.' : '';
    const api = `https://api-m.${sandbox}paypal.com`;
    return {
      authorizationUrl: `https://www.${sandbox}paypal.com/signin/authorize`,
      tokenUrl: `${api}/v1/oauth2/token`,
      refreshUrl: `${api}/v1/oauth2/token`,
      baseUrl: `${api}/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      authorizationParams: { flowEntry: 'static' },
      userInfoUrl: `${api}/v1/identity/openidconnect/userinfo?schema=openid`,
      profile: (raw) =>
        toProfile('paypal', raw, {
          id: raw.user_id ?? raw.sub,
          name: raw.name,
          email: raw.email ?? pick(raw, 'emails.0.value'),
          avatarUrl: raw.picture,
        }),
    };
  },
);

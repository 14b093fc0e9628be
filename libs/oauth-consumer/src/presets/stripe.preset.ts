import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `stripe` preset (Stripe Connect OAuth). `clientId` is the platform's `ca_...`
 * id; `clientSecret` is the platform's secret key (`sk_...`).
 * @publicApi
 */
export interface StripePresetOptions extends PresetOptions {
  /** Onboard Express accounts (`connect.stripe.com/express/oauth/authorize`). */
  express?: boolean;
}

// Checked 2026-12-01 against https://docs.stripe.com/connect/oauth-reference: Standard accounts: connect.stripe.com/oauth/authorize (scope read_write or read_only, stripe_landing, stripe_user[...] prefill), connect.stripe.com/oauth/token with the
// platform secret key as client_secret, returning stripe_user_id and a refresh token; /oauth/deauthorize to disconnect (not RFC 7009); OAuth is no longer recommended for new platforms.
/**
 * Stripe Connect: client id from Dashboard → Settings → Connect → Onboarding options → OAuth, secret key from Developers → API keys; scopes `read_write` or `read_only`.
 * @publicApi
 */
export const stripe = definePreset<StripePresetOptions>(
  {
    name: 'stripe',
    title: 'Stripe Connect',
    console:
      'Stripe Dashboard → Settings → Connect → Onboarding options → OAuth (client id); Developers → API keys (secret key)',
    scopes: '`read_write` (default) or `read_only`.',
    defaultScope: ['read_write'],
    options: { express: 'Express accounts (`/express/oauth/authorize`)' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.stripe.com/connect/oauth-reference',
    },
    notes:
      "The client secret is the platform's secret key. The token response carries `stripe_user_id` (the connected account) and `stripe_publishable_key`. Disconnecting is `POST /oauth/deauthorize`, not RFC 7009.",
  },
  (options) => ({
    authorizationUrl: options.express
      ? 'https://connect.stripe.com/express/oauth/authorize'
      : 'https://connect.stripe.com/oauth/authorize',
    tokenUrl: 'https://connect.stripe.com/oauth/token',
    refreshUrl: 'https://connect.stripe.com/oauth/token',
    baseUrl: 'https://api.stripe.com/v1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.stripe.com/v1/account',
    profile: (raw) =>
      toProfile('stripe', raw, {
        id: raw.id,
        name:
          pick(raw, 'business_profile.name') ??
          pick(raw, 'settings.dashboard.display_name'),
        email: raw.email,
        avatarUrl: pick(raw, 'business_profile.icon'),
      }),
  }),
);

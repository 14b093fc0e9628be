import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `shopify` preset.
 * @publicApi
 */
export interface ShopifyPresetOptions extends PresetOptions {
  /** The shop: `acme` or `acme.myshopify.com`. */
  shop: string;
  /** The Admin API version of `baseUrl` (default `2025-07`). */
  apiVersion?: string;
  /** An online (per-user, expiring) token instead of an offline one (`grant_options[]=per-user`). */
  online?: boolean;
  /**
   * Offline tokens that expire after an hour and come with a refresh token (`expiring=1`,
   * default `true`); Shopify requires them of public apps from 2027-01-01. `false` asks for
   * a non-expiring offline token, which only custom and merchant-created apps may keep.
   */
  expiring?: boolean;
}

/**
 * The shop host, refused unless it is a `*.myshopify.com` host: the token request goes there
 * with the client secret, so it must never be a host a visitor chose.
 */
function shopHost(shop: unknown): string {
  const value = typeof shop === 'string' ? shop.trim().toLowerCase() : '';
  const host = value
    .replace(/^https:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/^([a-z0-9][a-z0-9-]*)$/, '$1.myshopify.com');
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(host)) {
    throw new InvalidOptionsError(
      `shopify(): shop ${JSON.stringify(shop)} is not a shop: give its name ('acme') or its myshopify.com host ('acme.myshopify.com').`,
    );
  }
  return host;
}

// Checked 2026-12-01 against https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens: {shop}.myshopify.com/admin/oauth/authorize (comma-separated scopes, grant_options[]=per-user for online tokens) and
// /admin/oauth/access_token; expiring offline tokens (expiring=1) last an hour with a refresh token replaced on each use, required for public apps from 2027-01-01; tokens go in X-Shopify-Access-Token.
/**
 * Shopify (one shop per blueprint): credentials from the Partner Dashboard or Dev Dashboard → Apps → Client credentials; scopes `read_products`, `write_orders`... (comma-separated).
 * @publicApi
 */
export const shopify = definePreset<ShopifyPresetOptions>(
  {
    name: 'shopify',
    title: 'Shopify',
    console:
      'Shopify Partner Dashboard (or Dev Dashboard) → Apps → your app → Client credentials',
    scopes:
      'access scopes such as `read_products`, `write_orders`, `read_customers`.',
    defaultScope: ['read_products'],
    options: {
      shop: 'shop name or `*.myshopify.com` host (required)',
      apiVersion: 'Admin API version of `baseUrl` (default `2025-07`)',
      online: 'per-user online token (`grant_options[]=per-user`)',
      expiring:
        'expiring offline tokens with refresh tokens (`expiring=1`, default `true`); `false` for non-expiring ones (custom apps only)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens',
      rotating: true,
      notes:
        'Fixed: offline tokens are now requested expiring (expiring=1) and refreshed, as Shopify requires of public apps from 2027-01-01; expiring: false keeps the old non-expiring token for custom apps.',
    },
    example: { shop: 'acme' },
    notes:
      "`blueprint.fetch()` sends the token in `X-Shopify-Access-Token`, as the Admin API wants. Offline tokens expire after an hour and refresh with a rotating refresh token (`expiring=1`), as Shopify requires of public apps from 2027-01-01; online tokens do not refresh. Comma-separated granted scopes are normalized. Verify the callback's `hmac` in the `authorized` hook.",
  },
  (options) => {
    const host = shopHost(options.shop);
    const apiVersion = options.apiVersion ?? '2025-07';
    if (!/^\d{4}-\d{2}$|^unstable$/.test(apiVersion)) {
      throw new InvalidOptionsError(
        `shopify(): apiVersion ${JSON.stringify(apiVersion)} is not an API version: use e.g. '2025-07'.`,
      );
    }
    const tokenUrl = `https://${host}/admin/oauth/access_token`;
    const expiring = !options.online && options.expiring !== false;
    return {
      authorizationUrl: `https://${host}/admin/oauth/authorize`,
      tokenUrl,
      refreshUrl: expiring ? tokenUrl : false,
      tokenParams: expiring ? { expiring: '1' } : undefined,
      baseUrl: `https://${host}/admin/api/${apiVersion}/`,
      scopeSeparator: ',',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: options.online
        ? { 'grant_options[]': 'per-user' }
        : undefined,
      tokenResponse: spaceSeparatedScope,
      apiAuthorization: (token) => ({
        'x-shopify-access-token': token.access_token,
      }),
    };
  },
);

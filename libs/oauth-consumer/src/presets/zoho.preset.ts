import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import {
  normalizeWith,
  spaceSeparatedScope,
  TokenResponseNormalizer,
} from './token-response.util';

const DOMAINS = [
  'com',
  'eu',
  'in',
  'com.au',
  'jp',
  'ca',
  'com.cn',
  'sa',
  'uk',
] as const;

/**
 * Options of the `zoho` preset.
 * @publicApi
 */
export interface ZohoPresetOptions extends PresetOptions {
  /** Get a refresh token (`access_type=offline`, `prompt=consent`). */
  offline?: boolean;
  /** The data center's domain suffix (default `com`; `eu`, `in`, `com.au`, `jp`, `ca`, `com.cn`, `sa`, `uk`). */
  domain?: (typeof DOMAINS)[number];
}

/**
 * Zoho answers `token_type: "Bearer"` but its APIs want `Authorization: Zoho-oauthtoken ...`,
 * and older accounts servers put seconds in `expires_in_sec` (with `expires_in` in ms).
 */
const zohoToken: TokenResponseNormalizer = (body) => {
  const out: Record<string, unknown> = {
    ...body,
    token_type: 'Zoho-oauthtoken',
  };
  if (body.expires_in_sec !== undefined) out.expires_in = body.expires_in_sec;
  return out;
};

// Checked 2026-12-01 against https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html: accounts.zoho.{dc}/oauth/v2/auth with comma-separated Service.scope.OPERATION scopes, access_type=offline (plus prompt=consent to get another refresh
// token), the callback's location and accounts-server name the data center whose /oauth/v2/token must be used; 1-hour access tokens, non-expiring refresh tokens, /oauth/v2/token/revoke.
/**
 * Zoho: credentials from api-console.zoho.com (Server-based Application); scopes such as `AaaServer.profile.READ`, `ZohoCRM.modules.ALL` (comma-separated).
 * @publicApi
 */
export const zoho = definePreset<ZohoPresetOptions>(
  {
    name: 'zoho',
    title: 'Zoho',
    console: 'api-console.zoho.com → Add Client → Server-based Applications',
    scopes:
      '`AaaServer.profile.READ` for the profile; service scopes such as `ZohoCRM.modules.ALL`, `ZohoMail.messages.READ`.',
    defaultScope: ['AaaServer.profile.READ'],
    options: {
      offline: 'refresh tokens (`access_type=offline`, `prompt=consent`)',
      domain:
        'data center: `com` (default), `eu`, `in`, `com.au`, `jp`, `ca`, `com.cn`, `sa`, `uk`',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html',
      notes:
        "Zoho's revocation examples pass the token in the query string; the preset sends it in the form body as RFC 7009 does.",
    },
    notes:
      "Custom token type: the normalized token says `token_type: Zoho-oauthtoken`, the scheme Zoho APIs expect. The token response names the account's `api_domain`.",
  },
  (options) => {
    const domain = oneOf('zoho', 'domain', options.domain, DOMAINS) ?? 'com';
    const accounts = `https://accounts.zoho.${domain}`;
    return {
      authorizationUrl: `${accounts}/oauth/v2/auth`,
      tokenUrl: `${accounts}/oauth/v2/token`,
      refreshUrl: `${accounts}/oauth/v2/token`,
      revocationUrl: `${accounts}/oauth/v2/token/revoke`,
      baseUrl: `https://www.zohoapis.${domain}/`,
      scopeSeparator: ',',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        access_type: options.offline ? 'offline' : undefined,
        prompt: options.offline ? 'consent' : undefined,
      }),
      tokenResponse: normalizeWith(zohoToken, spaceSeparatedScope),
      userInfoUrl: `${accounts}/oauth/user/info`,
      profile: (raw) =>
        toProfile('zoho', raw, {
          id: raw.ZUID,
          name: raw.Display_Name ?? raw.First_Name,
          email: raw.Email,
        }),
    };
  },
);

import { definePreset, segmentOption, withScope } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `onelogin` preset.
 * @publicApi
 */
export interface OneLoginPresetOptions extends PresetOptions {
  /** The OneLogin subdomain: `acme` for `acme.onelogin.com`. */
  subdomain: string;
  /** Adds `offline_access` for a refresh token (allow refresh tokens on the app). */
  offline?: boolean;
}

// Checked 2026-12-01 against https://developers.onelogin.com/openid-connect: {subdomain}.onelogin.com/oidc/2/auth, /oidc/2/token (Basic, POST or none with PKCE, as the app's
// token endpoint authentication says), /oidc/2/me, RFC 7009 revocation at /oidc/2/token/revocation, issuer {subdomain}.onelogin.com/oidc/2; space-separated scopes.
/**
 * OneLogin (OpenID Connect): app from Administration → Applications → OpenId Connect (OIDC); scopes `openid profile email`, `groups`; `subdomain` names the tenant.
 * @publicApi
 */
export const onelogin = definePreset<OneLoginPresetOptions>(
  {
    name: 'onelogin',
    title: 'OneLogin',
    console:
      'OneLogin Administration → Applications → Add App → OpenId Connect (OIDC): redirect URIs on Configuration, client ID and secret on SSO (Token Endpoint: Basic)',
    scopes:
      '`openid profile email`; `groups`, `params`, `phone`; `offline_access` (or `offline: true`) for refresh tokens.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      subdomain:
        'the tenant subdomain, e.g. `acme` for acme.onelogin.com (required)',
      offline: 'adds `offline_access`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.onelogin.com/openid-connect',
      notes:
        'Endpoint paths as in the OneLogin OIDC API reference (developers.onelogin.com/openid-connect/api: authorization-code, token, user-info, revocation, logout) and the tenant discovery document.',
    },
    example: { subdomain: 'acme' },
    notes:
      "Set the app's Token Endpoint authentication method to Basic (the preset's default). Tenants on a custom domain use the same paths on that host: build the blueprint from these endpoints by hand.",
  },
  (options, requested) => {
    const subdomain = segmentOption(
      'onelogin',
      'subdomain',
      typeof options.subdomain === 'string'
        ? options.subdomain.replace(/\.onelogin\.com$/i, '').toLowerCase()
        : options.subdomain,
      "give the tenant's subdomain, e.g. 'acme' for acme.onelogin.com",
    );
    const issuer = `https://${subdomain}.onelogin.com/oidc/2`;
    return {
      authorizationUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      refreshUrl: `${issuer}/token`,
      revocationUrl: `${issuer}/token/revocation`,
      baseUrl: `https://${subdomain}.onelogin.com/`,
      issuer,
      scope: options.offline
        ? withScope(requested, 'offline_access')
        : requested,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_basic',
      userInfoUrl: `${issuer}/me`,
      profile: (raw) =>
        toProfile('onelogin', raw, {
          id: raw.sub,
          name: raw.name ?? raw.preferred_username,
          email: raw.email,
        }),
    };
  },
);

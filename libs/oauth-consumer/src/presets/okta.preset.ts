import {
  definePreset,
  hostOption,
  segmentOption,
  withScope,
} from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `okta` preset.
 * @publicApi
 */
export interface OktaPresetOptions extends PresetOptions {
  /** Your Okta domain (`acme.okta.com`) or custom domain. */
  domain: string;
  /** The authorization server id (default `default`); `null` for the org authorization server. */
  authorizationServer?: string | null;
  /** Adds `offline_access` so a refresh token is issued. */
  offline?: boolean;
}

// Checked 2026-12-01 against https://developer.okta.com/docs/api/openapi/okta-oauth/oauth: custom authorization servers at {domain}/oauth2/{serverId}/v1/{authorize,token,revoke,userinfo}, the org server at
// {domain}/oauth2/v1/...; offline_access only with a code response type for refresh tokens (rotation configurable per app); PKCE supported; client auth in the body or Basic.
/**
 * Okta: credentials from the Okta Admin Console → Applications → Create App Integration (OIDC, Web Application); scopes `openid profile email`, `offline_access`.
 * @publicApi
 */
export const okta = definePreset<OktaPresetOptions>(
  {
    name: 'okta',
    title: 'Okta',
    console:
      'Okta Admin Console → Applications → Create App Integration (OIDC, Web Application)',
    scopes:
      '`openid profile email`; `offline_access` (or `offline: true`) for refresh tokens; custom scopes of your authorization server.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      domain: 'Okta domain, e.g. `acme.okta.com` (required)',
      authorizationServer:
        'authorization server id (default `default`; `null` for the org server)',
      offline: 'adds `offline_access`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.okta.com/docs/api/openapi/okta-oauth/oauth',
    },
    example: { domain: 'acme.okta.com' },
  },
  (options, requested) => {
    const domain = hostOption(
      'okta',
      'domain',
      options.domain,
      "give your Okta domain from the Admin Console, e.g. 'acme.okta.com'",
    );
    const server =
      options.authorizationServer === null
        ? null
        : segmentOption(
            'okta',
            'authorizationServer',
            options.authorizationServer ?? 'default',
            'give the id from Security → API → Authorization Servers, or null for the org server',
          );
    const issuer = server
      ? `https://${domain}/oauth2/${server}`
      : `https://${domain}`;
    const v1 = server ? `${issuer}/v1` : `${issuer}/oauth2/v1`;
    return {
      authorizationUrl: `${v1}/authorize`,
      tokenUrl: `${v1}/token`,
      refreshUrl: `${v1}/token`,
      revocationUrl: `${v1}/revoke`,
      baseUrl: `https://${domain}/`,
      issuer,
      scope: options.offline
        ? withScope(requested, 'offline_access')
        : requested,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `${v1}/userinfo`,
      profile: (raw) =>
        toProfile('okta', raw, {
          id: raw.sub,
          name: raw.name ?? raw.preferred_username,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

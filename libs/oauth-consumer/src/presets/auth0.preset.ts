import { definePreset, hostOption, params, withScope } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `auth0` preset.
 * @publicApi
 */
export interface Auth0PresetOptions extends PresetOptions {
  /** Your tenant's domain (`acme.us.auth0.com`) or custom domain. */
  domain: string;
  /** The API identifier to get an access token for (`audience`). */
  audience?: string;
  /** Adds `offline_access` so a refresh token is issued (enable "Allow Offline Access" on the API). */
  offline?: boolean;
  /** Send the user to one connection (`connection`, e.g. `google-oauth2`). */
  connection?: string;
}

// Checked 2026-12-01 against https://auth0.com/docs/secure/tokens/refresh-tokens: {domain}/authorize, /oauth/token (form, client secret in the body) and /oauth/revoke; offline_access with
// Allow Offline Access for refresh tokens, rotation optional per application; PKCE recommended for every client.
/**
 * Auth0: credentials from manage.auth0.com → Applications (Regular Web Application); scopes `openid profile email`, `offline_access` for refresh.
 * @publicApi
 */
export const auth0 = definePreset<Auth0PresetOptions>(
  {
    name: 'auth0',
    title: 'Auth0',
    console:
      'manage.auth0.com → Applications → Applications (Regular Web Application)',
    scopes:
      "`openid profile email`; `offline_access` for refresh tokens; your API's permissions with `audience`.",
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      domain: 'tenant domain, e.g. `acme.us.auth0.com` (required)',
      audience: 'API identifier (`audience`)',
      offline: 'adds `offline_access`',
      connection: 'one connection (`connection`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://auth0.com/docs/secure/tokens/refresh-tokens',
    },
    example: { domain: 'acme.us.auth0.com' },
  },
  (options, requested) => {
    const domain = hostOption(
      'auth0',
      'domain',
      options.domain,
      "give your tenant's domain from the Auth0 dashboard, e.g. 'acme.us.auth0.com'",
    );
    return {
      authorizationUrl: `https://${domain}/authorize`,
      tokenUrl: `https://${domain}/oauth/token`,
      refreshUrl: `https://${domain}/oauth/token`,
      revocationUrl: `https://${domain}/oauth/revoke`,
      baseUrl: `https://${domain}/`,
      issuer: `https://${domain}/`,
      scope: options.offline
        ? withScope(requested, 'offline_access')
        : requested,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        audience: options.audience,
        connection: options.connection,
      }),
      userInfoUrl: `https://${domain}/userinfo`,
      profile: (raw) =>
        toProfile('auth0', raw, {
          id: raw.sub,
          name: raw.name ?? raw.nickname,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

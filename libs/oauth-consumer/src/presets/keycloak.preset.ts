import { definePreset, segmentOption, urlOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `keycloak` preset.
 * @publicApi
 */
export interface KeycloakPresetOptions extends PresetOptions {
  /** The server's URL, with its context path if any (`https://sso.example.com`, `https://host/auth`). */
  baseUrl: string;
  /** The realm name. */
  realm: string;
}

// Checked 2026-12-01 against https://www.keycloak.org/securing-apps/oidc-layers: {base}/realms/{realm}/.well-known/openid-configuration, /protocol/openid-connect/auth, /token (codes and
// refresh), /userinfo, /revoke (RFC 7009) and /token/introspect; PKCE per client; offline_access for offline tokens.
/**
 * Keycloak: credentials from the admin console → your realm → Clients (Client authentication on, Credentials tab); scopes `openid profile email`, `offline_access`.
 * @publicApi
 */
export const keycloak = definePreset<KeycloakPresetOptions>(
  {
    name: 'keycloak',
    title: 'Keycloak',
    console:
      'Keycloak admin console → your realm → Clients → your client (Client authentication on) → Credentials',
    scopes:
      '`openid profile email`; `offline_access` for offline tokens; client scopes you define.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      baseUrl: 'server URL, with `/auth` on versions before 17 (required)',
      realm: 'realm name (required)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://www.keycloak.org/securing-apps/oidc-layers',
    },
    example: { baseUrl: 'https://sso.example.com', realm: 'acme' },
  },
  (options) => {
    const server = urlOption(
      'keycloak',
      'baseUrl',
      options.baseUrl,
      "give the Keycloak server's URL, e.g. 'https://sso.example.com'",
    );
    const realm = segmentOption(
      'keycloak',
      'realm',
      options.realm,
      'give the realm name shown in the admin console',
    );
    const issuer = `${server}/realms/${realm}`;
    const oidc = `${issuer}/protocol/openid-connect`;
    return {
      authorizationUrl: `${oidc}/auth`,
      tokenUrl: `${oidc}/token`,
      refreshUrl: `${oidc}/token`,
      revocationUrl: `${oidc}/revoke`,
      baseUrl: `${issuer}/`,
      issuer,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `${oidc}/userinfo`,
      profile: (raw) =>
        toProfile('keycloak', raw, {
          id: raw.sub,
          name: raw.name ?? raw.preferred_username,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

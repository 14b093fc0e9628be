/**
 * A client registered at the LocalAuthorizationServer.
 * @publicApi
 */
export interface LocalClient {
  /** The `client_id`. */
  clientId: string;
  /**
   * The `client_secret` (sent with client_secret_post or client_secret_basic). Omit it for a
   * public client, which must then use PKCE with S256.
   */
  clientSecret?: string;
  /**
   * Exact redirect URIs. Omit (or leave empty) to accept any `http://127.0.0.1`,
   * `http://localhost` or `http://[::1]` callback, on any port and path.
   */
  redirectUris?: string[];
  /**
   * How the client authenticates at the token endpoint: default `client_secret_post` with a
   * secret (or the first secret method of `tokenAuthMethods`), `none` without. For
   * `private_key_jwt` give `jwks`; for `client_secret_jwt` a `clientSecret`.
   */
  tokenAuthMethod?: LocalTokenAuthMethod;
  /** The client's public keys (for `private_key_jwt`): `{ keys: [publicJwk] }`. */
  jwks?: { keys: Array<JsonWebKey & { kid?: string }> };
}

/**
 * A client authentication method the LocalAuthorizationServer knows.
 * @publicApi
 */
export type LocalTokenAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none';

/**
 * Claims of a user of the LocalAuthorizationServer, served by userinfo and `{api}/user`.
 * @publicApi
 */
export interface LocalUser {
  /** The `name` claim; defaults to the user id. */
  name?: string;
  /** The `email` claim; defaults to `<user id>@example.com`. */
  email?: string;
}

/**
 * Options of `LocalAuthorizationServer.start()`.
 * @publicApi
 */
export interface LocalAuthorizationServerOptions {
  /** The port on 127.0.0.1; default 0, a free port. */
  port?: number;
  /**
   * The registered clients; default one confidential client, `local-client` / `local-secret`,
   * with the redirect URIs of `redirectUris`. The first client is `server.clientId`.
   */
  clients?: LocalClient[];
  /** Redirect URIs of the default client; default any loopback callback. */
  redirectUris?: string[];
  /** Access token lifetime in seconds (`expires_in`); default 3600. */
  accessTokenTtl?: number;
  /**
   * Every refresh returns a new refresh token, and reusing a consumed one revokes the whole
   * grant; default true. With false, a refresh token stays valid across refreshes.
   */
  rotateRefreshTokens?: boolean;
  /**
   * false (default): login and consent are scripted, approving as the `login_hint` user, else
   * `user-1`. true: an HTML login form (username, "Sign in") and consent page ("Allow", "Deny").
   */
  interactive?: boolean;
  /** Claims per user id; users not listed may still sign in, with default claims. */
  users?: Record<string, LocalUser>;
  /**
   * The RSA private key (a JWK, RS256) that signs ID tokens; default a fresh one. Give it to
   * forge tokens in tests that the server's JWKS vouches for.
   */
  signingKey?: JsonWebKey & { kid?: string };
  /**
   * ID tokens carry the claims of the granted scopes (`name`, `email`...), not only `sub`;
   * default false (they are served by userinfo).
   */
  claimsInIdToken?: boolean;
  /**
   * Refuse authorization requests that ask for `openid` without a `nonce` (HTTP 400
   * `invalid_request`), as some servers do although OIDC Core makes it optional with the code
   * flow; default false.
   */
  requireNonce?: boolean;
  /**
   * The client authentication methods the token, revocation, PAR and device endpoints accept,
   * listed as `token_endpoint_auth_methods_supported`; default all five. `['client_secret_basic']`
   * plays a server that supports only HTTP Basic, as RFC 6749 §2.3.1 requires of every server.
   */
  tokenAuthMethods?: LocalTokenAuthMethod[];
  /**
   * Revoking a refresh token ends only that token: the grant's access tokens stay valid (RFC
   * 7009 §2.1 allows it); default false (the whole grant is revoked).
   */
  keepAccessTokensOnRevocation?: boolean;
  /** Refuse authorization requests not pushed first (RFC 9126 §5); default false. */
  requirePushedAuthorizationRequests?: boolean;
  /**
   * Sender-constrained tokens (RFC 9449): the token endpoint accepts DPoP proofs and binds the
   * tokens it issues to the proof's key; `{api}/user` then wants the key's proof with such a
   * token. `{ requireNonce: true }` also makes both ask for a server nonce (`use_dpop_nonce`).
   * Default off.
   */
  dpop?: boolean | { requireNonce?: boolean };
  /** Device code lifetime in seconds (RFC 8628 `expires_in`); default 600. */
  deviceCodeTtl?: number;
  /**
   * The polling `interval` (seconds) device authorization answers name; polling sooner gets
   * `slow_down` (RFC 8628 §3.5). Default: none named, which means 5 s to clients.
   */
  devicePollInterval?: number;
}

/**
 * Absolute URLs of the LocalAuthorizationServer, as its discovery document lists them.
 * @publicApi
 */
export interface LocalAuthorizationServerEndpoints {
  /** The authorization endpoint. */
  authorization: string;
  /** The token endpoint. */
  token: string;
  /** The OpenID Connect userinfo endpoint (needs the `openid` scope). */
  userinfo: string;
  /** The RFC 7009 revocation endpoint. */
  revocation: string;
  /** The JSON Web Key Set. */
  jwks: string;
  /** The OpenID Connect discovery document. */
  discovery: string;
  /** The RP-initiated logout endpoint. */
  endSession?: string;
  /** The RFC 9126 pushed authorization request endpoint. */
  pushedAuthorization?: string;
  /** The RFC 8628 device authorization endpoint. */
  deviceAuthorization?: string;
  /**
   * Base URL of a small protected API: `GET {api}/user` returns the token's user for any
   * valid access token, with or without the `openid` scope (like GitHub's `/user`).
   */
  api: string;
}

/**
 * Options of `server.completeAuthorization()`.
 * @publicApi
 */
export interface CompleteAuthorizationOptions {
  /** Who signs in; default the request's `login_hint`, else `user-1`. */
  user?: string;
  /** false denies the request: the redirect then carries `error=access_denied`; default true. */
  approve?: boolean;
}

/**
 * Options of `server.approveDevice()`.
 * @publicApi
 */
export interface ApproveDeviceOptions {
  /** Who signs in; default `user-1`. */
  user?: string;
  /** false denies: the next poll gets `access_denied`; default true. */
  approve?: boolean;
}

/**
 * A response the token endpoint plays instead of the real one (see `scriptTokenResponse`).
 * @publicApi
 */
export interface ScriptedTokenResponse {
  /** HTTP status; default 200. */
  status?: number;
  /** Body; an object is sent as JSON; default empty. */
  body?: string | Record<string, unknown>;
  /** Extra headers; `content-type` defaults to JSON when the body is JSON, else text/plain. */
  headers?: Record<string, string>;
  /** Wait this long before answering, in milliseconds (for timeouts); default 0. */
  delayMs?: number;
  /** How many token requests in a row get this response; default 1. */
  times?: number;
}

/**
 * Request counters of the LocalAuthorizationServer, counted in its process.
 * @publicApi
 */
export interface LocalAuthorizationServerStats {
  /** Token endpoint requests by grant type, scripted ones included; `total` counts every grant type. */
  tokenRequests: {
    authorization_code: number;
    refresh_token: number;
    client_credentials: number;
    device_code: number;
    total: number;
  };
  /** Token, revocation, PAR and device requests by the client authentication method they used. */
  clientAuthentication: Partial<Record<LocalTokenAuthMethod, number>>;
  /** Pushed authorization requests (RFC 9126). */
  pushedAuthorizationRequests: number;
  /** Device authorization requests (RFC 8628). */
  deviceAuthorizations: number;
  /** Revocation endpoint requests. */
  revocations: number;
  /** Userinfo endpoint requests. */
  userinfo: number;
  /** Requests to `{api}/user`. */
  apiRequests: number;
  /** Scripted token responses not yet played. */
  pendingScriptedResponses: number;
}

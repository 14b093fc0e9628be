import type { JWK } from 'jose';

/**
 * How the client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2,
 * OIDC Core §9): `client_secret_basic` (HTTP Basic), `client_secret_post` (in the body),
 * `client_secret_jwt` (an HS256 assertion signed with the secret), `private_key_jwt` (an
 * assertion signed with `clientPrivateKey`) or `none` (a public client, PKCE only).
 * @publicApi
 */
export type TokenAuthMethod =
  | 'client_secret_post'
  | 'client_secret_basic'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none';

/**
 * A client's private key for `private_key_jwt`: a PEM string (PKCS#8, `-----BEGIN PRIVATE
 * KEY-----`) or a private JWK (RSA, EC P-256/384/521 or Ed25519).
 * @publicApi
 */
export type ClientPrivateKey = string | JWK;

/**
 * The blueprint options the protocol code reads: the client, the provider's endpoints and how
 * to talk to them. `BlueprintOptions` extends it.
 * @publicApi
 */
export interface OAuth2ClientOptions {
  /** The blueprint's name, used in error messages. */
  name: string;
  /** The client id the provider issued to this app. */
  clientId: string;
  /** The client secret (`client_secret_basic`, `client_secret_post`, `client_secret_jwt`). */
  clientSecret?: string;
  /**
   * Makes the client secret for each token request instead of `clientSecret`, for providers whose
   * secret is a short-lived JWT (Sign in with Apple: `new AppleClientSecret({...})`, which the
   * `apple` preset sets up from `teamId`, `keyId` and `privateKey`). Cache inside: it is called often.
   */
  clientSecretFactory?: () => string | Promise<string>;
  /**
   * The private key for `private_key_jwt` (RFC 7523), PEM or JWK; its public half is registered
   * at the provider. Setting it makes `private_key_jwt` the default authentication method.
   */
  clientPrivateKey?: ClientPrivateKey;
  /** The `kid` put in client assertions (default: the JWK's own `kid`, if any). */
  clientKeyId?: string;
  /**
   * How the client authenticates at the token endpoint. Default: `private_key_jwt` with a
   * `clientPrivateKey`, `none` without a secret; else, for discovered providers, the best one of
   * `token_endpoint_auth_methods_supported` (`client_secret_basic` first), and
   * `client_secret_post` for providers configured by hand.
   */
  tokenAuthMethod?: TokenAuthMethod;
  /** The provider's authorization endpoint. */
  authorizationUrl?: string;
  /** The provider's token endpoint. */
  tokenUrl?: string;
  /** Where refresh requests go (default `tokenUrl`); `false` when the provider cannot refresh. */
  refreshUrl?: string | false;
  /** The provider's RFC 7009 revocation endpoint, when it has one. */
  revocationUrl?: string;
  /** The issuer identifier. With it, ID tokens are validated (and their `iss` must equal it). */
  issuer?: string;
  /** The issuer's JSON Web Key Set, which signs its ID tokens (discovered from `issuer` when unset). */
  jwksUrl?: string;
  /** Scopes to ask for. */
  scope?: string | readonly string[];
  /** Scopes of app tokens (the client credentials grant, `blueprint.appToken()`); default none. */
  appScope?: string | readonly string[];
  /** Extra body parameters for the token request. */
  tokenParams?: Readonly<Record<string, string>>;
  /** Extra body parameters for refresh requests. */
  refreshParams?: Readonly<Record<string, string>>;
  /** Extra headers for token endpoint requests. */
  tokenHeaders?: Readonly<Record<string, string>>;
  /**
   * Turns a provider's non-standard token response (nested tokens, comma scopes, odd token
   * types) into RFC 6749 fields. Runs before `access_token` is checked.
   */
  tokenResponse?: (body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Pushed authorization requests (RFC 9126): the authorization request's parameters go to the
   * provider over the back channel first, and the browser is sent with only `client_id` and
   * `request_uri`. Default: on when the provider's metadata says
   * `require_pushed_authorization_requests`, else off.
   */
  pushedAuthorization?: boolean;
  /** The PAR endpoint (default: `pushed_authorization_request_endpoint` of the metadata). */
  pushedAuthorizationRequestUrl?: string;
  /** The RFC 8628 device authorization endpoint (default: `device_authorization_endpoint`). */
  deviceAuthorizationUrl?: string;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): each grant gets its own key pair (ES256), kept
   * with its token (sealed with it when encryption is on); token requests, refreshes and
   * `blueprint.fetch` carry proofs made with it, so a stolen access token is useless without
   * the key. Default false.
   */
  dpop?: boolean;
  /**
   * The provider's metadata (its OpenID Connect discovery document, RFC 8414 names), as read at
   * start-up; set by discovery. Endpoints given explicitly win over it.
   */
  serverMetadata?: Readonly<Record<string, unknown>>;
}

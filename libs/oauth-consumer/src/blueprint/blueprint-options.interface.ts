import { Type } from '@nestjs/common';
import { OAuthToken } from '../storage/oauth-token.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import {
  OAuth2ClientOptions,
  TokenAuthMethod,
} from '../protocol/oauth2-client-options.interface';
import { OAuthProfile } from './oauth-profile.interface';

export type {
  ClientPrivateKey,
  OAuth2ClientOptions,
  TokenAuthMethod,
} from '../protocol/oauth2-client-options.interface';

/**
 * How OAuth 1.0a requests are signed (RFC 5849 §3.4): with the consumer secret, or with an
 * RSA private key whose public key is registered at the provider.
 * @publicApi
 */
export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'RSA-SHA1';

/**
 * Everything one blueprint needs to dance with one OAuth 2.0 provider and call its API.
 * Presets (`github({...})`), `oauth2({...})` and `oauth1({...})` (OAuth 1.0a) return this shape.
 * @publicApi
 */
export interface BlueprintOptions extends OAuth2ClientOptions {
  /** Unique name: the route segment (`/login/{name}`) and the `provider` of stored tokens. */
  name: string;
  /** `oauth2` (the default) or `oauth1` for OAuth 1.0a (RFC 5849), as `oauth1({...})` sets it. */
  protocol?: 'oauth2' | 'oauth1';
  /** The client id the provider issued to this app (OAuth 1.0a: the consumer key). */
  clientId: string;
  /** The client secret; omit for public clients that rely on PKCE alone (OAuth 1.0a: the consumer secret). */
  clientSecret?: string;
  /** The provider's authorization endpoint (discovered when `discoveryUrl` is set). */
  authorizationUrl?: string;
  /** The provider's token endpoint (discovered when `discoveryUrl` is set; OAuth 1.0a: the access token URL). */
  tokenUrl?: string;
  /** OAuth 1.0a: the request token (temporary credentials) endpoint. */
  requestTokenUrl?: string;
  /** OAuth 1.0a: how requests are signed (`HMAC-SHA1` with `clientSecret`, `RSA-SHA1` with `rsaPrivateKey`). */
  signatureMethod?: OAuth1SignatureMethod;
  /** OAuth 1.0a with RSA-SHA1: the PEM private key whose public key is registered at the provider. */
  rsaPrivateKey?: string;
  /**
   * An OpenID Connect discovery document (`{issuer}/.well-known/openid-configuration`), read
   * once at start-up; it fills the endpoints, `issuer` and `requireIss` left unset.
   */
  discoveryUrl?: string;
  /** Refuse callbacks without `iss` (the provider announced RFC 9207 support). */
  requireIss?: boolean;
  /** The provider's RFC 7009 revocation endpoint, when it has one. */
  revocationUrl?: string;
  /** Scopes to ask for. */
  scope?: string | readonly string[];
  /** How the provider separates scopes in the `scope` parameter (default one space). */
  scopeSeparator?: string;
  /** Extra query parameters for the authorization request (e.g. `{ access_type: 'offline' }`). */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Extra body parameters for the token request. */
  tokenParams?: Readonly<Record<string, string>>;
  /** The API root that relative paths given to `blueprint.fetch()` are resolved against. */
  baseUrl?: string;
  /** Headers the provider's API requires on every call (e.g. `Client-Id`, `User-Agent`). */
  headers?: Readonly<Record<string, string>>;
  /** The callback URL registered at the provider; built from the app's public origin when omitted. */
  redirectUrl?: string;
  /** Where the browser goes after the dance (default: the module's `redirectTo`, else `/`). */
  redirectTo?: string;
  /** Use PKCE with S256 (default true). */
  pkce?: boolean;
  /** A storage class for this blueprint's tokens instead of the module's `storage`. */
  storage?: Type<TokenStorage>;
  /** The issuer identifier; when set, an `iss` sent to the callback must equal it (RFC 9207). */
  issuer?: string;
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9).
   * Default: `private_key_jwt` with `clientPrivateKey`, `none` without a secret; for discovered
   * providers the best of `token_endpoint_auth_methods_supported` (`client_secret_basic` first);
   * else `client_secret_post`.
   */
  tokenAuthMethod?: TokenAuthMethod;
  /** Extra headers for token endpoint requests (authorization code and refresh). */
  tokenHeaders?: Readonly<Record<string, string>>;
  /**
   * Turns a provider's non-standard token response (nested tokens, comma scopes, odd token
   * types) into RFC 6749 fields. Runs before `access_token` is checked.
   */
  tokenResponse?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Where refresh requests go (default `tokenUrl`); `false` when the provider cannot refresh. */
  refreshUrl?: string | false;
  /** Extra body parameters for refresh requests. */
  refreshParams?: Readonly<Record<string, string>>;
  /** The user-info endpoint that `profile` reads (absolute, or relative to `baseUrl`). */
  userInfoUrl?: string;
  /** The HTTP method of the user-info endpoint (default GET; Dropbox wants POST). */
  userInfoMethod?: 'GET' | 'POST';
  /**
   * How the token is sent to the API (default `Authorization: Bearer <access_token>`, or the
   * token's own `token_type`); e.g. Shopify's `X-Shopify-Access-Token`.
   */
  apiAuthorization?: (token: OAuthToken) => Record<string, string>;
  /** Maps the user-info response to `{ id, name, email, avatarUrl }`. */
  profile?: (userInfo: Record<string, unknown>) => OAuthProfile;
  /**
   * Let a user connect several accounts of this provider (default false: one per user). The
   * dance then stores each token under `accountId` = the provider's account id from `profile`
   * (so `userInfoUrl` and `profile` are needed): a new login with the same account updates its
   * connection, another account adds one.
   */
  multipleAccounts?: boolean;
  /**
   * What the provider's `scope` holds after a new consent: `full` (every scope granted so far,
   * the default, as Google with `include_granted_scopes` and GitHub do) or `incremental` (only
   * the scopes of this consent): then the stored scopes are the union with the earlier ones.
   */
  scopeGrant?: 'full' | 'incremental';
  /**
   * Accept extra scopes from the login route's query string (`/login/github?scope=repo`),
   * added to `scope` (default false: only `RequireToken({ scopes })` and the app's own
   * `blueprint.loginUrlFor({ scopes })` links ask for more). Only these scopes may be asked for.
   */
  queryScopes?: readonly string[];
  /**
   * Authorization parameters sent when the login asks for another account
   * (`blueprint.loginUrlFor({ anotherAccount: true })`, i.e. `?account=new`), so the provider
   * shows its account chooser instead of reusing the account signed in there. Default
   * `{ prompt: 'select_account' }` (Google, GitHub, Microsoft and OpenID Connect providers).
   */
  anotherAccountParams?: Readonly<Record<string, string>>;
}

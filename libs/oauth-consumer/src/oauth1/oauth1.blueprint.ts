import { Type } from '@nestjs/common';
import {
  BlueprintOptions,
  OAuth1SignatureMethod,
} from '../blueprint/blueprint-options.interface';
import { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { assertBlueprintName } from '../blueprint/oauth2.blueprint';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenStorage } from '../storage/token-storage.interface';

/**
 * Options of `oauth1({...})`: an OAuth 1.0a provider (RFC 5849) described by its endpoints
 * and how this app signs requests.
 * @publicApi
 */
export interface OAuth1BlueprintOptions {
  /** Unique name: the route segment (`/login/{name}`) and the `provider` of stored tokens. */
  name: string;
  /** The consumer key (RFC 5849's client identifier) the provider issued to this app. */
  consumerKey: string;
  /** The consumer secret; required for HMAC-SHA1. */
  consumerSecret?: string;
  /** The PEM RSA private key whose public key is registered at the provider; required for RSA-SHA1. */
  rsaPrivateKey?: string;
  /** How requests are signed: `HMAC-SHA1` (consumer secret) or `RSA-SHA1` (RSA private key). */
  signatureMethod: OAuth1SignatureMethod;
  /** The request token (temporary credentials) endpoint. */
  requestTokenUrl: string;
  /** Where the browser goes to authorize the request token. */
  authorizationUrl: string;
  /** The access token (token credentials) endpoint. */
  accessTokenUrl: string;
  /** The API root that relative paths given to `blueprint.fetch()` are resolved against. */
  baseUrl?: string;
  /** Extra query parameters for the redirect to `authorizationUrl`. */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Headers the provider's API requires on every call. */
  headers?: Readonly<Record<string, string>>;
  /** Extra headers for the request token and access token requests. */
  tokenHeaders?: Readonly<Record<string, string>>;
  /** The callback URL sent as `oauth_callback`; built from the app's public origin when omitted. */
  redirectUrl?: string;
  /** Where the browser goes after the dance (default: the module's `redirectTo`, else `/`). */
  redirectTo?: string;
  /** A storage class for this blueprint's tokens instead of the module's `storage`. */
  storage?: Type<TokenStorage>;
  /** The user-info endpoint that `profile` reads (absolute, or relative to `baseUrl`), with a signed request. */
  userInfoUrl?: string;
  /** The HTTP method of the user-info endpoint (default GET). */
  userInfoMethod?: 'GET' | 'POST';
  /** Maps the user-info response to `{ id, name, email, avatarUrl }`. */
  profile?: (userInfo: Record<string, unknown>) => OAuthProfile;
}

const SIGNATURE_METHODS: readonly OAuth1SignatureMethod[] = [
  'HMAC-SHA1',
  'RSA-SHA1',
];

/**
 * A blueprint for any OAuth 1.0a provider: the dance (request token, authorization, access
 * token) and `blueprint.fetch` sign with HMAC-SHA1 or RSA-SHA1. Tokens are stored as
 * `{ access_token, oauth_token_secret, ...extras }` and are never refreshed.
 * @publicApi
 * @example oauth1({ name: 'acme', consumerKey, consumerSecret, signatureMethod: 'HMAC-SHA1', requestTokenUrl, authorizationUrl, accessTokenUrl })
 */
export function oauth1(options: OAuth1BlueprintOptions): BlueprintOptions {
  assertBlueprintName(options?.name);
  const where = `oauth1({ name: '${options.name}' })`;
  if (typeof options.consumerKey !== 'string' || !options.consumerKey) {
    throw new InvalidOptionsError(
      `${where}: consumerKey is required: copy it from the provider's console.`,
    );
  }
  if (!SIGNATURE_METHODS.includes(options.signatureMethod)) {
    throw new InvalidOptionsError(
      `${where}: signatureMethod must be 'HMAC-SHA1' or 'RSA-SHA1', not ${JSON.stringify(options.signatureMethod)}.`,
    );
  }
  if (
    options.signatureMethod === 'HMAC-SHA1' &&
    (typeof options.consumerSecret !== 'string' || !options.consumerSecret)
  ) {
    throw new InvalidOptionsError(
      `${where}: HMAC-SHA1 signs with the consumer secret: give consumerSecret, or use RSA-SHA1 with rsaPrivateKey.`,
    );
  }
  if (
    options.signatureMethod === 'RSA-SHA1' &&
    (typeof options.rsaPrivateKey !== 'string' ||
      !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(options.rsaPrivateKey))
  ) {
    throw new InvalidOptionsError(
      `${where}: RSA-SHA1 signs with an RSA private key: give rsaPrivateKey as PEM text ` +
        "(-----BEGIN PRIVATE KEY----- ...), e.g. readFileSync('privatekey.pem', 'utf8').",
    );
  }
  for (const key of [
    'requestTokenUrl',
    'authorizationUrl',
    'accessTokenUrl',
  ] as const) {
    const url = options[key];
    if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/i.test(url)) {
      throw new InvalidOptionsError(
        `${where}: ${key} must be an absolute http(s) URL (got ${JSON.stringify(url ?? null)}).`,
      );
    }
  }
  const blueprint: BlueprintOptions = {
    protocol: 'oauth1',
    name: options.name,
    clientId: options.consumerKey,
    clientSecret: options.consumerSecret,
    rsaPrivateKey:
      options.signatureMethod === 'RSA-SHA1'
        ? options.rsaPrivateKey
        : undefined,
    signatureMethod: options.signatureMethod,
    requestTokenUrl: options.requestTokenUrl,
    authorizationUrl: options.authorizationUrl,
    tokenUrl: options.accessTokenUrl,
    refreshUrl: false,
    pkce: false,
    baseUrl: options.baseUrl,
    authorizationParams: options.authorizationParams,
    headers: options.headers,
    tokenHeaders: options.tokenHeaders,
    redirectUrl: options.redirectUrl,
    redirectTo: options.redirectTo,
    storage: options.storage,
    userInfoUrl: options.userInfoUrl,
    userInfoMethod: options.userInfoMethod,
    profile: options.profile,
  };
  return Object.fromEntries(
    Object.entries(blueprint).filter(([, value]) => value !== undefined),
  ) as BlueprintOptions;
}

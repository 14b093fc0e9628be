import { OAuthUserContext, TokenOwner } from '../context/oauth-user.context';
import { TokenEndpointClient } from '../dance/token-endpoint.client';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenMissingError } from '../errors/token-missing.error';
import { TokenOperation } from '../errors/user-required.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import { TokenKey } from '../storage/token-key.interface';
import { withExpiresAt } from '../storage/token-expiry.util';
import { TokenStorage } from '../storage/token-storage.interface';
import { BlueprintOptions } from './blueprint-options.interface';

/**
 * `fetch` options: a WHATWG `RequestInit` plus whose token to send, or the token itself
 * (as the `authorized` hook has it before it is stored).
 * @publicApi
 */
export interface BlueprintFetchInit extends RequestInit, TokenOwner {
  token?: OAuthToken;
}

/**
 * One provider's handle: reads, writes and deletes the current user's token (or an explicit
 * owner's) through the bound storage. Inject it with `@InjectBlueprint(name)`.
 * @publicApi
 */
export class Blueprint {
  constructor(
    /** The blueprint's options, as registered. */
    readonly options: Readonly<BlueprintOptions>,
    /** The storage this blueprint's tokens go through (with cache and encryption when configured). */
    readonly storage: TokenStorage,
    private readonly context: OAuthUserContext,
    /** Sends this provider's token requests (code exchange, refresh). */
    readonly tokenEndpoint: TokenEndpointClient = new TokenEndpointClient(
      options,
    ),
    /** The route that starts this blueprint's dance, for messages and redirects. */
    readonly loginUrl?: string,
  ) {}

  /** The blueprint's name: its route segment and the `provider` of its tokens. */
  get name(): string {
    return this.options.name;
  }

  /** The current user's token (or `owner`'s), or `null` when there is none. */
  async getToken(owner?: TokenOwner): Promise<OAuthToken | null> {
    return this.storage.get(this.tokenKey('get', owner));
  }

  /** Stores `token` for the current user (or `owner`), computing `expires_at` from `expires_in`. */
  async setToken(token: OAuthToken, owner?: TokenOwner): Promise<void> {
    await this.storage.set(this.tokenKey('set', owner), withExpiresAt(token));
  }

  /** Deletes the current user's token (or `owner`'s); deleting a missing token is fine. */
  async deleteToken(owner?: TokenOwner): Promise<void> {
    await this.storage.delete(this.tokenKey('delete', owner));
  }

  /** Whether the current user (or `owner`) has a token for this provider. */
  async isAuthorized(owner?: TokenOwner): Promise<boolean> {
    return (await this.getToken(owner)) !== null;
  }

  /**
   * Calls the provider's API with the current user's token (or `init.userId` / `init.user`'s,
   * or `init.token`): `path` is resolved against `baseUrl`; absolute URLs must stay on the
   * API's origin, so the token never goes anywhere else. Throws `TokenMissingError` when
   * there is no token. This is the one place that attaches tokens to requests.
   */
  async fetch(path: string, init: BlueprintFetchInit = {}): Promise<Response> {
    const { token: explicitToken, userId, user, ...requestInit } = init;
    const owner: TokenOwner | undefined =
      userId !== undefined
        ? { userId }
        : user !== undefined
          ? { user }
          : undefined;
    const token = explicitToken ?? (await this.getToken(owner));
    if (!token) throw new TokenMissingError(this.name, this.loginUrl);
    const headers = new Headers(this.options.headers);
    new Headers(requestInit.headers).forEach((value, name) =>
      headers.set(name, value),
    );
    headers.set(
      'authorization',
      `${authorizationScheme(token)} ${token.access_token}`,
    );
    return fetch(this.apiUrl(path), { ...requestInit, headers });
  }

  /** The absolute URL of an API path, refusing origins other than the API's own. */
  apiUrl(path: string): string {
    const allowedOrigins = [this.options.baseUrl, this.options.userInfoUrl]
      .filter((url): url is string => !!url && /^https?:\/\//i.test(url))
      .map((url) => new URL(url).origin);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
      // Protocol-relative '//host' takes the API's scheme, then faces the same origin check.
      const url = new URL(
        path,
        this.options.baseUrl ?? 'https://unknown.invalid',
      );
      if (!allowedOrigins.includes(url.origin)) {
        throw new InvalidOptionsError(
          `Refusing to send the '${this.name}' token to ${url.origin}: blueprint.fetch() only calls ` +
            `the provider's API (${allowedOrigins.join(', ') || 'set baseUrl'}). Use plain fetch for other hosts.`,
        );
      }
      return url.toString();
    }
    if (!this.options.baseUrl) {
      throw new InvalidOptionsError(
        `Blueprint '${this.name}' has no baseUrl: set it to the API root to call relative paths like '${path}'.`,
      );
    }
    const base = this.options.baseUrl.endsWith('/')
      ? this.options.baseUrl
      : `${this.options.baseUrl}/`;
    return new URL(path.replace(/^\/+/, ''), base).toString();
  }

  /** The storage key of the current user's (or `owner`'s) token; throws when a user is required. */
  tokenKey(operation: TokenOperation, owner?: TokenOwner): TokenKey {
    return {
      provider: this.name,
      userId: this.context.ownerIdFor(operation, this.name, owner),
    };
  }
}

/** The Authorization scheme for a token: `Bearer` unless the provider named another type. */
function authorizationScheme(token: OAuthToken): string {
  const type = typeof token.token_type === 'string' ? token.token_type : '';
  return !type || type.toLowerCase() === 'bearer' ? 'Bearer' : type;
}

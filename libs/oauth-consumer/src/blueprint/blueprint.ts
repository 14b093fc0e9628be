import { InspectOptionsStylized, inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { OAuthUserContext, TokenOwner } from '../context/oauth-user.context';
import { TokenEndpointClient } from '../protocol/token-endpoint.client';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthConsumerError } from '../errors/oauth-consumer.error';
import { readLimitedBody } from '../protocol/limited-body.util';
import { TokenMissingError } from '../errors/token-missing.error';
import { TokenOperation } from '../errors/user-required.error';
import type { TokenRefresher } from '../refresh/token-refresher';
import { AppTokenIssuer } from '../refresh/app-token.issuer';
import { pollDeviceCode } from '../protocol/device-authorization.util';
import { OAuthToken } from '../storage/oauth-token.interface';
import { isSealedToken } from '../storage/token-cipher.util';
import { TokenKey } from '../storage/token-key.interface';
import { withExpiresAt } from '../storage/token-expiry.util';
import { TokenStorage } from '../storage/token-storage.interface';
import {
  connectionRecordOf,
  needsReconnect,
  scopesOf,
} from '../storage/token-connection.util';
import type { OAuthEvents } from '../dance/oauth.events';
import { signOAuth1Request } from '../oauth1/oauth1-signer.util';
import { fetchApi } from './api-redirect.util';
import { BlueprintOptions } from './blueprint-options.interface';
import { printableBlueprintOptions } from './blueprint-description.util';
import { askableScopes, baseScopesOf } from './scope-request.util';

/**
 * `getToken` options: whose token, and whether a due token may be refreshed first
 * (default: the module's `refresh.enabled`).
 * @publicApi
 */
export interface GetTokenOptions extends TokenOwner {
  refresh?: boolean;
}

/**
 * `deleteToken` options: whose token, and whether to revoke it at the provider first
 * (RFC 7009; local deletion happens even when revocation fails).
 * @publicApi
 */
export interface DeleteTokenOptions extends TokenOwner {
  revoke?: boolean;
}

/**
 * `fetch` options: a WHATWG `RequestInit` plus whose token to send, or the token itself
 * (as the `authorized` hook has it before it is stored).
 * @publicApi
 */
/**
 * A started device authorization (RFC 8628): show `user_code` and `verification_uri` (or
 * `verification_uri_complete`) to the user, then `complete()`. The device code stays inside.
 * @publicApi
 */
export interface DeviceAuthorization {
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete?: string;
  /** Seconds until the codes expire. */
  readonly expires_in: number;
  /** Seconds between polls (5 when the provider names none). */
  readonly interval: number;
  /**
   * Polls until the user approves (the token is stored for the owner given at the start, and
   * returned), denies or lets the code expire (`DeviceAuthorizationError`).
   */
  complete(options?: { signal?: AbortSignal }): Promise<OAuthToken>;
}

export interface BlueprintFetchInit extends RequestInit, TokenOwner {
  token?: OAuthToken;
  /** `'app'`: call with the app's own token (`appToken()`, client credentials), no user's. */
  as?: 'user' | 'app';
}

/**
 * `fetchJson` options: those of `fetch`, and the largest answer to read.
 * @publicApi
 */
export interface BlueprintFetchJsonInit extends BlueprintFetchInit {
  /** Refuse answers larger than this many bytes (default 10 MiB); reading stops at the limit. */
  maxResponseBytes?: number;
}

/** The largest answer `fetchJson` reads unless told otherwise. */
const DEFAULT_MAX_JSON_BYTES = 10 * 1024 * 1024;

/**
 * What a blueprint works with; built by the module at start-up.
 * @publicApi
 */
export interface BlueprintDependencies {
  /** The storage its tokens go through (with cache and encryption when configured). */
  storage: TokenStorage;
  context: OAuthUserContext;
  /** Sends token requests (code exchange, refresh, revocation); default: one for `options`. */
  tokenEndpoint?: TokenEndpointClient;
  /** Refreshes due tokens; without it tokens are never refreshed. */
  refresher?: TokenRefresher;
  /** The route that starts the dance, for messages and redirects. */
  loginUrl?: string;
  /** Where `deleteToken` reports `connection.deleted`. */
  events?: OAuthEvents;
}

/**
 * One provider's handle: reads, writes and deletes the current user's token (or an explicit
 * owner's) through the bound storage, refreshing due tokens, and calls the provider's API
 * with it. Inject it with `@InjectBlueprint(name)`.
 * @publicApi
 */
export class Blueprint {
  private readonly logger = new Logger('nest-dance');
  /** The storage this blueprint's tokens go through (with cache and encryption when configured). */
  readonly storage: TokenStorage;
  /** Sends this provider's token requests (code exchange, refresh, revocation). */
  readonly tokenEndpoint: TokenEndpointClient;
  /** The route that starts this blueprint's dance. */
  readonly loginUrl?: string;
  /**
   * Whether its token operations need a user: `userRequired` when given, else on unless the
   * storage keeps tokens per session (`SessionTokenStorage`) and no `user` option is given.
   */
  readonly userRequired: boolean;
  private readonly context: OAuthUserContext;
  private readonly refresher?: TokenRefresher;
  private readonly appTokens?: AppTokenIssuer;
  private readonly events?: OAuthEvents;
  /** Where `fetch` may send the token: the API's and the user-info endpoint's origins. */
  private readonly apiOrigins: readonly string[];
  /** `baseUrl` with a trailing '/', so relative paths stay under it. */
  private readonly apiBase?: string;

  constructor(
    /** The blueprint's options, as registered. */
    readonly options: Readonly<BlueprintOptions>,
    dependencies: BlueprintDependencies,
  ) {
    this.storage = dependencies.storage;
    this.context = dependencies.context;
    this.userRequired = this.context.userRequiredFor(this.storage);
    this.tokenEndpoint =
      dependencies.tokenEndpoint ?? new TokenEndpointClient(options);
    this.refresher = dependencies.refresher;
    if (this.refresher) this.appTokens = new AppTokenIssuer(this.refresher);
    this.events = dependencies.events;
    this.loginUrl = dependencies.loginUrl;
    this.apiOrigins = [options.baseUrl, options.userInfoUrl]
      .filter((url): url is string => !!url && /^https?:\/\//i.test(url))
      .map((url) => new URL(url).origin);
    if (options.baseUrl) {
      this.apiBase = options.baseUrl.endsWith('/')
        ? options.baseUrl
        : `${options.baseUrl}/`;
    }
  }

  /** The blueprint's name: its route segment and the `provider` of its tokens. */
  get name(): string {
    return this.options.name;
  }

  /**
   * What `JSON.stringify` shows of the blueprint (hooks and events carry it, and apps log
   * them): its name, protocol and options with every credential `[redacted]`.
   */
  toJSON(): {
    name: string;
    protocol: 'oauth2' | 'oauth1';
    options: Record<string, unknown>;
  } {
    return {
      name: this.name,
      protocol: this.options.protocol ?? 'oauth2',
      options: printableBlueprintOptions(this.options),
    };
  }

  /** What `util.inspect` (console.log, most loggers) shows: the same as `toJSON`, never a secret. */
  [inspect.custom](
    depth: number,
    options: InspectOptionsStylized,
    inspectValue: typeof inspect,
  ): string {
    if (depth < 0)
      return options.stylize(`[Blueprint ${this.name}]`, 'special');
    const { name, protocol, options: printable } = this.toJSON();
    return `Blueprint ${inspectValue(
      { name, protocol, options: printable },
      { ...options, depth: options.depth === null ? null : depth - 1 },
    )}`;
  }

  /**
   * The current user's token (or `owner`'s), refreshed first when it is due, or `null` when
   * there is none. Throws `TokenRefreshError` when an expired token cannot be refreshed.
   */
  getToken(options: GetTokenOptions = {}): Promise<OAuthToken | null> {
    // On every request: one promise of its own (not an async function awaiting the storage:
    // on Node 20 and 22 a user context makes every promise and await cost a hook call),
    // nothing else asynchronous unless a refresh is due.
    let key: TokenKey;
    try {
      key = this.tokenKey('get', options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.storage.get(key).then((stored) => {
      const token = this.usable(stored);
      const refresh = options.refresh ?? this.refresher?.enabled ?? false;
      if (!token || !refresh || !this.refresher || !this.refresher.isDue(token))
        return token;
      return this.refresher.refreshIfDue(this, key, token);
    });
  }

  /** Stores `token` for the current user (or `owner`), computing `expires_at` from `expires_in`. */
  async setToken(token: OAuthToken, owner?: TokenOwner): Promise<void> {
    const key = this.tokenKey('set', owner);
    await this.exclusive(key, () =>
      this.storage.set(key, withExpiresAt(token)),
    );
  }

  /**
   * Deletes the current user's token (or `owner`'s); deleting a missing token is fine.
   * With `{ revoke: true }` the token is first revoked at the provider's `revocationUrl`.
   * Resolves to whether the provider confirmed the revocation.
   */
  async deleteToken(
    options: DeleteTokenOptions = {},
  ): Promise<{ revoked: boolean }> {
    const key = this.tokenKey('delete', options);
    // Under the token's lock, so a refresh in flight cannot store it back afterwards.
    return this.exclusive(key, () => this.deleteHeld(key, options));
  }

  /** `deleteToken` once the token's lock is held. */
  private async deleteHeld(
    key: TokenKey,
    options: DeleteTokenOptions,
  ): Promise<{ revoked: boolean }> {
    let revoked = false;
    if (options.revoke && this.options.revocationUrl) {
      const token = await this.read(key).catch(() => null);
      if (token) {
        try {
          revoked = await this.tokenEndpoint.revoke(token);
        } catch (error) {
          this.logger.warn(
            `Revoking the '${this.name}' token failed; deleting it locally anyway: ${(error as Error).message}`,
          );
        }
      }
    }
    const existing = this.events
      ? await this.storage.get(key).catch(() => null)
      : null;
    await this.storage.delete(key);
    if (existing && this.events) {
      const record = connectionRecordOf(existing);
      await this.events.emitConnection({
        type: 'deleted',
        blueprint: this,
        provider: this.name,
        userId: key.userId,
        ...(key.accountId === undefined ? {} : { accountId: key.accountId }),
        ...(record.accountId === undefined
          ? {}
          : { account: { id: record.accountId, name: record.accountName } }),
      });
    }
    return { revoked };
  }

  /**
   * The login route that asks the provider for `scopes` on top of the blueprint's `scope`
   * (incremental authorization), then returns to `next`. Each scope must be askable: listed in
   * the blueprint's `queryScopes` or in a `RequireToken(name, { scopes })` route.
   */
  loginUrlFor(
    options: {
      scopes?: readonly string[];
      next?: string;
      /** Ask the provider to let the user pick another account (`anotherAccountParams`). */
      anotherAccount?: boolean;
    } = {},
  ): string {
    const base = this.loginUrl ?? `/login/${this.name}`;
    const query = new URLSearchParams();
    const scopes = [...new Set(options.scopes ?? [])];
    if (scopes.length) {
      const askable = new Set([
        ...askableScopes(this.options),
        ...baseScopesOf(this.options),
      ]);
      const refused = scopes.filter((scope) => !askable.has(scope));
      if (refused.length) {
        throw new InvalidOptionsError(
          `Blueprint '${this.name}' cannot ask for ${refused.join(', ')} from a login URL: list ` +
            `them in its queryScopes (or require them with RequireToken('${this.name}', { scopes })).`,
        );
      }
      query.set('scope', scopes.join(' '));
    }
    if (options.anotherAccount) query.set('account', 'new');
    if (options.next !== undefined) query.set('next', options.next);
    const text = query.toString();
    return text ? `${base}?${text}` : base;
  }

  /**
   * Whether the current user's (or `owner`'s) token was granted every scope in `scopes`
   * (false without a usable token). Ask for the missing ones with `loginUrlFor({ scopes })`.
   */
  async hasScopes(
    scopes: readonly string[],
    owner?: TokenOwner,
  ): Promise<boolean> {
    const token = await this.read(this.tokenKey('get', owner));
    if (!token) return false;
    const granted = new Set(scopesOf(token));
    return scopes.every((scope) => granted.has(scope));
  }

  /** Whether the current user (or `owner`) has a token for this provider (refreshing nothing). */
  async isAuthorized(owner?: TokenOwner): Promise<boolean> {
    return (await this.read(this.tokenKey('get', owner))) !== null;
  }

  /**
   * Calls the provider's API with the current user's token (or `init.userId` / `init.user`'s,
   * or `init.token`): `path` is resolved against `baseUrl`; absolute URLs must stay on the
   * API's origin, so the token never goes anywhere else; redirects are followed here, and a hop
   * off that origin goes without the token headers. A due token is refreshed first; a 401
   * answer forces one refresh and one retry. Throws `TokenMissingError` when there is no token.
   * This is the one place that attaches tokens to requests.
   */
  async fetch(path: string, init: BlueprintFetchInit = {}): Promise<Response> {
    const {
      token: explicitToken,
      userId,
      user,
      accountId,
      as,
      ...requestInit
    } = init;
    const url = this.apiUrl(path);
    if (explicitToken) return this.send(url, requestInit, explicitToken);
    if (as === 'app') return this.fetchAsApp(url, requestInit);
    const owner: TokenOwner =
      userId !== undefined ? { userId } : user !== undefined ? { user } : {};
    if (accountId !== undefined) owner.accountId = accountId;
    const key = this.tokenKey('get', owner);
    const token = await this.getToken(owner);
    if (!token) throw new TokenMissingError(this.name, this.loginUrl);
    let used = token;
    let response = await this.send(url, requestInit, used);
    // A 401 forces a refresh. When the refresh hands back a token another process made (the
    // cache had an older one), that token may be dead too: then one more, real, refresh.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (
        response.status !== 401 ||
        !this.refresher ||
        !isReplayable(requestInit.body)
      )
        break;
      if (!this.refresher.canRefresh(this, used)) break;
      await response.body?.cancel();
      const outcome = await this.refresher.forceRefresh(this, key, used);
      used = outcome.token;
      response = await this.send(url, requestInit, used);
      if (outcome.refreshedHere) break;
    }
    return response;
  }

  /**
   * The app's own token (client credentials, RFC 6749 §4.4; scopes from `appScope`), not a
   * user's: stored in the blueprint's storage under the owner `nest-dance:app`, asked for again
   * before it expires, once for all callers (one request in flight per process, the refresh
   * lock across processes). `fetch(path, { as: 'app' })` calls the API with it.
   */
  appToken(): Promise<OAuthToken> {
    if (!this.appTokens) {
      throw new InvalidOptionsError(
        `Blueprint '${this.name}' has no token refresher, so it cannot keep an app token.`,
      );
    }
    return this.appTokens.token(this);
  }

  /** `fetch` with the app token; a 401 gets one new app token and one retry. */
  private async fetchAsApp(url: string, init: RequestInit): Promise<Response> {
    const used = await this.appToken();
    const response = await this.send(url, init, used);
    if (response.status !== 401 || !isReplayable(init.body)) return response;
    await response.body?.cancel();
    return this.send(url, init, await this.appTokens!.token(this, used));
  }

  /**
   * Starts a device authorization (RFC 8628) for the current user (or `owner`): for a user who
   * connects this provider from a CLI, a TV or a job, on another device. `scope` defaults to
   * the blueprint's.
   */
  async startDeviceAuthorization(
    owner: TokenOwner & { scope?: string | readonly string[] } = {},
  ): Promise<DeviceAuthorization> {
    const { scope = this.options.scope, ...who } = owner;
    const key = this.tokenKey('set', who);
    const separator = this.options.scopeSeparator ?? ' ';
    const started = await this.tokenEndpoint.deviceAuthorization(
      typeof scope === 'string' ? scope : scope?.join(separator),
    );
    const interval = started.interval ?? 5;
    return {
      user_code: started.user_code,
      verification_uri: started.verification_uri,
      verification_uri_complete: started.verification_uri_complete,
      expires_in: started.expires_in,
      interval,
      complete: async (options = {}) => {
        const token = await pollDeviceCode({
          provider: this.name,
          deviceCode: started.device_code,
          expiresIn: started.expires_in,
          interval,
          poll: (code) => this.tokenEndpoint.deviceCode(code),
          signal: options.signal,
        });
        await this.setToken(token, {
          userId: key.userId,
          ...(key.accountId !== undefined ? { accountId: key.accountId } : {}),
        });
        return withExpiresAt(token);
      },
    };
  }

  /**
   * `fetch` and parse the JSON answer; throws on a non-2xx status with the status in the
   * message, and on an answer larger than `maxResponseBytes` (default 10 MiB), whose reading
   * stops at the limit.
   */
  async fetchJson<T = unknown>(
    path: string,
    init: BlueprintFetchJsonInit = {},
  ): Promise<T> {
    const { maxResponseBytes = DEFAULT_MAX_JSON_BYTES, ...fetchInit } = init;
    const headers = new Headers(fetchInit.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    const response = await this.fetch(path, { ...fetchInit, headers });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `'${this.name}' API answered HTTP ${response.status} for ${new URL(response.url || this.apiUrl(path)).pathname}`,
      );
    }
    const text = await readLimitedBody(response, maxResponseBytes);
    if (text === null) {
      throw new OAuthConsumerError(
        `The '${this.name}' API answer is larger than ${maxResponseBytes} bytes: pass ` +
          "{ maxResponseBytes } to fetchJson() for larger answers, or read blueprint.fetch()'s " +
          'body as a stream.',
      );
    }
    return JSON.parse(text) as T;
  }

  /**
   * The absolute URL of an API path, refusing origins other than the API's own. The path is
   * resolved by the WHATWG URL parser first (the one `fetch` uses), and the origin of what it
   * resolved to is checked, always: to that parser a backslash pair, a leading space or a tab
   * inside the scheme (` //host`, `ht<TAB>tp://host`) can name another host.
   */
  apiUrl(path: string): string {
    const url = this.resolve(path);
    if (!this.apiOrigins.includes(url.origin)) {
      throw new InvalidOptionsError(
        `Refusing to send the '${this.name}' token to ${url.origin}: blueprint.fetch() only calls ` +
          `the provider's API (${this.apiOrigins.join(', ') || 'set baseUrl'}). Use plain fetch for other hosts.`,
      );
    }
    return url.toString();
  }

  /** `path` as the WHATWG parser reads it: absolute, scheme-relative, or under `baseUrl`. */
  private resolve(path: string): URL {
    // What the parser itself strips before reading: C0 controls and spaces around, tabs and
    // newlines anywhere. Deciding on the stripped text decides on what `fetch` will see.
    const cleaned = String(path)
      .replace(/[\t\n\r]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    if (URL.canParse(cleaned)) return new URL(cleaned);
    // Two slashes, in either direction, start another host (the parser reads '\\' as '/').
    if (/^[/\\]{2}/.test(cleaned)) {
      return new URL(cleaned, this.apiBase ?? 'https://unknown.invalid/');
    }
    if (!this.apiBase) {
      throw new InvalidOptionsError(
        `Blueprint '${this.name}' has no baseUrl: set it to the API root to call relative paths like '${path}'.`,
      );
    }
    // One leading slash means "under baseUrl", not "at the root of its host".
    return new URL(cleaned.replace(/^[/\\]/, ''), this.apiBase);
  }

  /**
   * Runs a write of `key`'s token under its refresh lock (`TokenRefresher.exclusive`), so a
   * refresh in flight never overwrites it; without a refresher nothing refreshes, so no lock.
   */
  private exclusive<T>(key: TokenKey, write: () => Promise<T>): Promise<T> {
    return this.refresher
      ? this.refresher.exclusive(this, key, write)
      : write();
  }

  /** The storage key of the current user's (or `owner`'s) token; throws when a user is required. */
  tokenKey(operation: TokenOperation, owner?: TokenOwner): TokenKey {
    const key: TokenKey = {
      provider: this.name,
      userId: this.context.ownerIdFor(
        operation,
        this.name,
        owner,
        this.userRequired,
      ),
    };
    if (owner?.accountId !== undefined) key.accountId = owner.accountId;
    return key;
  }

  /**
   * Reads a token, refusing an encrypted one when this app has no keys to open it. A dead grant
   * kept for `OAuthConnections` (`reconnect-required`) reads as no token.
   */
  private async read(key: TokenKey): Promise<OAuthToken | null> {
    return this.usable(await this.storage.get(key));
  }

  /** A stored token as `read` hands it out: `null` for a dead grant, refused when sealed. */
  private usable(token: OAuthToken | null): OAuthToken | null {
    if (token && needsReconnect(token)) return null;
    if (token && isSealedToken(token)) {
      throw new InvalidOptionsError(
        `The stored '${this.name}' token is encrypted, but no encryption keys are configured: set ` +
          'OAuthConsumerModule.forRoot({ encryption: { keys } }) with the key it was sealed with.',
      );
    }
    return token;
  }

  /** Sends one API call with `token`, following redirects without taking it off the API origin. */
  private send(
    url: string,
    init: RequestInit,
    token: OAuthToken,
  ): Promise<Response> {
    const headers = new Headers(this.options.headers);
    new Headers(init.headers).forEach((value, name) =>
      headers.set(name, value),
    );
    // DPoP-bound tokens (RFC 9449) go with a proof of their key, made by the protocol engine.
    const proven = this.tokenEndpoint.sendWithProof(
      url,
      { ...init, headers },
      token,
    );
    if (proven) return proven;
    return fetchApi(
      url,
      { ...init, headers },
      {
        name: this.name,
        origins: this.apiOrigins,
        tokenHeaders: (hop) =>
          this.options.apiAuthorization
            ? this.options.apiAuthorization(token)
            : this.options.protocol === 'oauth1'
              ? signOAuth1Request(this.options, hop, token)
              : {
                  authorization: `${authorizationScheme(token)} ${token.access_token}`,
                },
      },
    );
  }
}

/** The Authorization scheme for a token: `Bearer` unless the provider named another type. */
function authorizationScheme(token: OAuthToken): string {
  const type = typeof token.token_type === 'string' ? token.token_type : '';
  return !type || type.toLowerCase() === 'bearer' ? 'Bearer' : type;
}

/** Bodies that can be sent twice (a stream can be read once only). */
function isReplayable(body: RequestInit['body']): boolean {
  return !(body instanceof ReadableStream);
}

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import { serializeTokenKey } from './token-key.util';
import { FreshReadOptions, FreshReadable, readFresh } from './fresh-read.util';
import { tokenIdentityOf } from './token-identity.util';
import { TokenStorage } from './token-storage.interface';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from './token-list.interface';
import { listExpiringTokens, listTokens } from './token-list.util';
import { copyToken } from './token-copy.util';
import { CacheCalls, NO_CACHE_ANSWER } from './cache-calls.util';
import { OwedInvalidations } from './owed-invalidations.util';
import { TokenKeyStrings } from './token-key-strings.util';

/**
 * The injection token of `@nestjs/cache-manager`'s cache (its `CACHE_MANAGER`, spelled out so
 * that apps without a cache need not install the package).
 * @publicApi
 */
export const CACHE_MANAGER_TOKEN = 'CACHE_MANAGER';

/** Cache entries end this long before their token does. */
const EXPIRY_SAFETY_MS = 100;

/**
 * Options of the token cache (`OAuthConsumerModule.forRoot({ cache: {...} })`).
 * @publicApi
 */
export interface CacheTokenOptions {
  /**
   * The longest time a token stays cached, in milliseconds (default 300 000, five minutes).
   * A token is never cached past its own `expires_at`. This also bounds how long another
   * process may serve a token whose invalidation it missed (e.g. while the cache was down).
   */
  maxTtl?: number;
  /**
   * How long each cache call may take, in milliseconds (default 100). A slower or failing
   * cache is bypassed: the token is read from (or written to) the wrapped storage instead.
   * A call is given up no sooner than this after it began, and at most a quarter of it later
   * (the timeouts share one timer, which reads the clock once per quarter, not per call).
   */
  timeout?: number;
  /**
   * After a cache failure, reads skip the cache for this long, in milliseconds (default 5 000),
   * then try it again. Invalidations on write are always attempted, and one that failed is
   * retried this often until it lands.
   */
  retryAfter?: number;
}

/**
 * The part of cache-manager's `Cache` (what `CACHE_MANAGER` resolves to, over any Keyv store
 * such as `@keyv/redis`) that `CachedTokenStorage` uses. TTLs are in milliseconds.
 * @publicApi
 */
export interface TokenCache {
  /** The value under `key`, or `undefined` (or `null`) when there is none. */
  get<T>(key: string): Promise<T | undefined | null>;
  /** Stores `value` under `key` for `ttl` milliseconds. */
  set<T>(key: string, value: T, ttl?: number): Promise<unknown>;
  /** Removes `key`. */
  del(key: string): Promise<unknown>;
  /**
   * `true` when `get` resolves to a new object on every call that nobody else holds (a cache
   * that parses stored text, as `RedisTokenCache` does): hits are then handed out as they are,
   * without another copy. Leave it unset for caches that may return a shared object (in-memory).
   */
  readonly returnsCopies?: boolean;
  /**
   * Optional: the text stored under `key`, unparsed (`get` parses it as JSON). A caller that
   * parses it itself, in the step that handles the answer, saves a promise per hit
   * (`CachedTokenStorage` does). Implement it only when `get(key)` is `JSON.parse` of it.
   */
  getText?(key: string): Promise<string | null | undefined>;
  /**
   * `true` when calls made one after another without waiting for their answers are carried
   * out in that order (one connection to one Redis server: commands run in the order they
   * arrive). A write's mark and removal are then sent together, in one round trip. Leave it
   * unset when calls may overtake each other (a cluster, several stores).
   */
  readonly callsInOrder?: boolean;
}

/**
 * The cache key of a token: `nest-dance:token:{serializeTokenKey(key)}`.
 * @publicApi
 */
export function tokenCacheKey(key: TokenKey): string {
  return `nest-dance:token:${serializeTokenKey(key)}`;
}

/**
 * The cache key of a token's write mark: a random value every write of the token changes, in
 * the shared cache, so a reader in another process can tell that its row may be stale.
 */
function writeMarkKey(key: TokenKey): string {
  return `nest-dance:token-written:${serializeTokenKey(key)}`;
}

/** Write marks outlive any read in flight (and at least every entry they guard). */
const MIN_WRITE_MARK_TTL_MS = 60_000;
const DEFAULT_MAX_TTL_MS = 300_000;
const DEFAULT_TIMEOUT_MS = 100;
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Reads of one key in flight in this process, and the key's write generation they started at. */
interface KeyActivity {
  generation: number;
  readers: number;
}

/**
 * Caches the tokens of any storage in cache-manager (`CACHE_MANAGER`: memory, Redis, any Keyv
 * store). Reads fill the cache; a write invalidates it after the row changed (a delete before
 * *and* after) and changes the key's write mark in the cache, and a read that overlapped a
 * write of the same key, in this process or any other sharing the cache, does not leave its
 * fill there, so a slow reader cannot bring back a token that was just replaced or deleted.
 * An invalidation that fails or times out is owed: retried every `retryAfter` until it lands,
 * and until then this process neither reads nor fills that key in the cache. Entries live no
 * longer than the token's `expires_at` nor `maxTtl`. Every cache call has a short timeout:
 * when the cache is slow or down the wrapped storage answers instead, one warning is logged
 * (never a token) and the cache is retried after `retryAfter`. Tokens read from the cache
 * are the caller's own copies.
 * @publicApi
 */
export class CachedTokenStorage extends TokenStorage implements FreshReadable {
  private readonly logger = new Logger(CachedTokenStorage.name);
  private readonly maxTtl: number;
  private readonly timeout: number;
  private readonly retryAfter: number;
  private readonly activity = new Map<string, KeyActivity>();
  private readonly calls: CacheCalls;
  /** `tokenCacheKey` of each key, built once. */
  private readonly cacheKeys = new TokenKeyStrings(tokenCacheKey);
  /**
   * Asks the cache for a key's entry: its text when the cache can give it (`getText`, parsed
   * by `hitOf` in the step that takes the answer), else its value.
   */
  private readonly askCache: (cacheKey: string) => Promise<unknown>;
  /** The caller's own token from what the cache answered, or `undefined` for a miss. */
  private readonly hitOf: (answer: unknown) => OAuthToken | undefined;
  /** Whether calls made without waiting are carried out in order (one Redis connection). */
  private readonly callsInOrder: boolean;
  /** Invalidations after writes that did not land, retried until they do. */
  private readonly owed: OwedInvalidations;
  /** Until when reads skip the cache after a failure (`Date.now()` time); 0 when they do not. */
  private bypassUntil = 0;
  private degraded = false;

  constructor(
    /** The storage that holds the tokens (the source of truth). */
    readonly storage: TokenStorage,
    private readonly cache: TokenCache,
    options: CacheTokenOptions = {},
  ) {
    super();
    this.maxTtl = positive(options.maxTtl, DEFAULT_MAX_TTL_MS);
    this.timeout = positive(options.timeout, DEFAULT_TIMEOUT_MS);
    this.retryAfter = positive(options.retryAfter, DEFAULT_RETRY_AFTER_MS);
    this.calls = new CacheCalls(this.timeout, {
      answered: () => this.cacheAnswered(),
      failed: (reason) => this.cacheFailed(reason),
    });
    if (cache.getText !== undefined) {
      const getText = cache.getText.bind(cache);
      this.askCache = getText;
      this.hitOf = (answer) =>
        typeof answer === 'string' ? parseHit(answer) : undefined;
    } else {
      // A cache that parses stored text hands out new objects: no copy is needed on a hit.
      const hitsAreCopies = cache.returnsCopies === true;
      this.askCache = (cacheKey) => cache.get<OAuthToken>(cacheKey);
      this.hitOf = (answer) =>
        isToken(answer)
          ? hitsAreCopies
            ? answer
            : copyToken(answer)
          : undefined;
    }
    this.callsInOrder = cache.callsInOrder === true;
    this.owed = new OwedInvalidations(this.retryAfter, (key, cacheKey) =>
      this.markAndInvalidate(key, cacheKey),
    );
    this.perSession = storage.perSession;
  }

  /** Whether the wrapped storage keeps tokens per session. */
  override readonly perSession?: boolean;

  /**
   * The cached token of `key`, else the storage's (which then fills the cache). A hit costs
   * the cache call and one promise: no async function around it (on Node 20 and 22 a user
   * context makes every promise and await cost a hook call).
   */
  get(key: TokenKey): Promise<OAuthToken | null> {
    let cacheKey: string;
    try {
      cacheKey = this.cacheKeys.of(key);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    // A key owed an invalidation may still have the replaced token in the cache.
    if (this.owed.has(cacheKey) || !this.cacheUsable())
      return this.readThrough(key, cacheKey, false);
    return this.calls.runThen(
      () => this.askCache(cacheKey),
      (answer) =>
        answer === NO_CACHE_ANSWER
          ? this.readThrough(key, cacheKey, false)
          : (this.hitOf(answer) ?? this.readThrough(key, cacheKey, true)),
    );
  }

  /** Reads `key` from the storage and, when `fill` and no write overlapped, fills the cache. */
  private async readThrough(
    key: TokenKey,
    cacheKey: string,
    fill: boolean,
  ): Promise<OAuthToken | null> {
    const activity = this.beginRead(cacheKey);
    const generation = activity.generation;
    try {
      // Read before the row: a write anywhere after this point changes it (see `write`).
      const shared =
        fill && this.cacheUsable()
          ? await this.calls.run(() =>
              this.cache.get<string>(writeMarkKey(key)),
            )
          : NO_CACHE_ANSWER;
      const token = await this.storage.get(key);
      const ttl = token ? this.ttlOf(token) : 0;
      // A write of this key since the read began means `token` may be stale: do not cache it.
      if (
        token &&
        ttl > 0 &&
        shared !== NO_CACHE_ANSWER &&
        activity.generation === generation &&
        !this.owed.has(cacheKey) &&
        this.cacheUsable()
      ) {
        await this.fill(key, cacheKey, copyToken(token), ttl, shared);
      }
      return token;
    } finally {
      this.endRead(cacheKey, activity);
    }
  }

  /**
   * The token from the storage itself, dropping any cached copy (refresh uses this) unless
   * `keepCache` (the caller writes the key next, which drops it).
   */
  async getFresh(
    key: TokenKey,
    options?: FreshReadOptions,
  ): Promise<OAuthToken | null> {
    if (!options?.keepCache) {
      const cacheKey = this.cacheKeys.of(key);
      this.bumpGeneration(cacheKey);
      await this.invalidate(cacheKey);
    }
    return readFresh(this.storage, key, options);
  }

  /** Stores `token` in the storage, then invalidates the cache. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    await this.write(key, () => this.storage.set(key, token), false);
  }

  /** Deletes the token from the storage, invalidating the cache before and after. */
  async delete(key: TokenKey): Promise<void> {
    await this.write(key, () => this.storage.delete(key), true);
  }

  /** The wrapped storage's identity of `key`. */
  override identityOf(key: TokenKey): string {
    return tokenIdentityOf(this.storage, key);
  }

  /** Lists through to the storage (lists are never cached). */
  override list(query: TokenListQuery): Promise<StoredToken[]> {
    return listTokens(this.storage, query);
  }

  /** Lists through to the storage (lists are never cached). */
  override listExpiring(query: ExpiringTokenQuery): Promise<StoredToken[]> {
    return listExpiringTokens(this.storage, query);
  }

  /**
   * Changes the row, then invalidates the cache: a reader that filled the cache from the old
   * row (in this process or another) must not leave it there, and one whose fill is still on
   * its way sees the new mark and takes its fill back (see `fill`). A replacement needs only
   * that invalidation, one round trip; should it fail, it is owed and retried
   * (`OwedInvalidations`). A delete also invalidates before the
   * row changes (`invalidateFirst`): a deleted token (a disconnect, a revoked grant) is gone
   * from the cache before it is gone from the storage.
   */
  private async write(
    key: TokenKey,
    change: () => Promise<void>,
    invalidateFirst: boolean,
  ) {
    const cacheKey = this.cacheKeys.of(key);
    this.bumpGeneration(cacheKey);
    if (invalidateFirst) await this.invalidateOrOwe(key, cacheKey);
    try {
      await change();
    } finally {
      this.bumpGeneration(cacheKey);
      await this.invalidateOrOwe(key, cacheKey);
    }
  }

  /** Marks and removes the key's entry; one that does not land is owed and retried. */
  private invalidateOrOwe(key: TokenKey, cacheKey: string): Promise<void> {
    return this.owed.attempt(key, cacheKey, () =>
      this.markAndInvalidate(key, cacheKey),
    );
  }

  /**
   * A fresh write mark, then the entry's removal, in that order (see `fill`): one round trip
   * when the cache carries calls out in the order they are made, else one after the other.
   * Resolves to whether the cache answered both.
   */
  private markAndInvalidate(key: TokenKey, cacheKey: string): Promise<boolean> {
    if (!this.callsInOrder) return this.markThenInvalidate(key, cacheKey);
    // Both calls are made before either answers; their outcomes are joined without Promise.all.
    const marked = this.markWritten(key);
    const removed = this.invalidate(cacheKey);
    return marked.then((markLanded) =>
      removed.then((removeLanded) => markLanded && removeLanded),
    );
  }

  /** `markAndInvalidate` for a cache whose calls may overtake each other: one after the other. */
  private async markThenInvalidate(
    key: TokenKey,
    cacheKey: string,
  ): Promise<boolean> {
    const marked = await this.markWritten(key);
    return (await this.invalidate(cacheKey)) && marked;
  }

  /**
   * Fills the cache with a token read from the storage, then takes the fill back if any
   * process wrote the key since the read began. The write mark was read before the row; a
   * writer changes it after its row change and deletes the entry after that, so a stale fill
   * either lands before that delete (and is deleted) or after it, when this check sees the
   * new mark. Works across processes with plain GET/SET/DEL, no script or transaction.
   */
  private async fill(
    key: TokenKey,
    cacheKey: string,
    token: OAuthToken,
    ttl: number,
    markBefore: string | undefined | null,
  ): Promise<void> {
    const stored = await this.calls.run(() =>
      this.cache.set(cacheKey, token, ttl),
    );
    if (stored === NO_CACHE_ANSWER) return;
    const markAfter = await this.calls.run(() =>
      this.cache.get<string>(writeMarkKey(key)),
    );
    if (
      markAfter === NO_CACHE_ANSWER ||
      (markAfter ?? null) !== (markBefore ?? null)
    ) {
      // The fill may be stale: taking it back is owed until it lands.
      await this.owed.attempt(key, cacheKey, () => this.invalidate(cacheKey));
    }
  }

  /**
   * Leaves a fresh mark that every process's reader in flight compares (see `fill`); resolves
   * to whether the cache answered.
   */
  private markWritten(key: TokenKey): Promise<boolean> {
    const ttl = Math.max(this.maxTtl, MIN_WRITE_MARK_TTL_MS);
    return this.calls
      .run(() => this.cache.set(writeMarkKey(key), randomUUID(), ttl))
      .then(answered);
  }

  /** Removes the entry; resolves to whether the cache answered. */
  private invalidate(cacheKey: string): Promise<boolean> {
    return this.calls.run(() => this.cache.del(cacheKey)).then(answered);
  }

  private ttlOf(token: OAuthToken): number {
    const expiresAt = Number(token.expires_at);
    if (token.expires_at === undefined || !Number.isFinite(expiresAt))
      return this.maxTtl;
    // A little short of the expiry: the cache starts its clock after this is computed.
    return Math.min(
      this.maxTtl,
      Math.floor(expiresAt * 1000 - Date.now()) - EXPIRY_SAFETY_MS,
    );
  }

  private beginRead(cacheKey: string): KeyActivity {
    let activity = this.activity.get(cacheKey);
    if (!activity) {
      activity = { generation: 0, readers: 0 };
      this.activity.set(cacheKey, activity);
    }
    activity.readers++;
    return activity;
  }

  private endRead(cacheKey: string, activity: KeyActivity): void {
    activity.readers--;
    if (activity.readers === 0 && this.activity.get(cacheKey) === activity)
      this.activity.delete(cacheKey);
  }

  private bumpGeneration(cacheKey: string): void {
    // Only reads in flight compare generations; a read that starts later sees the new row.
    const activity = this.activity.get(cacheKey);
    if (activity) activity.generation++;
  }

  /** Whether reads may ask the cache: not while it is bypassed after a failure. */
  private cacheUsable(): boolean {
    // No clock read per call while the cache works: `bypassUntil` is 0 until a failure.
    if (this.bypassUntil === 0) return true;
    if (Date.now() < this.bypassUntil) return false;
    this.bypassUntil = 0;
    return true;
  }

  private cacheFailed(reason: string): void {
    this.bypassUntil = Date.now() + this.retryAfter;
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      `The token cache (CACHE_MANAGER) is unavailable (${reason}): tokens are read from ` +
        `${this.storage.constructor.name} directly and the cache is retried every ` +
        `${this.retryAfter} ms. Check the cache store (e.g. that Redis is reachable).`,
    );
  }

  private cacheAnswered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('The token cache (CACHE_MANAGER) answers again.');
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? value
    : fallback;
}

/** Whether a cache call answered (rather than failing or timing out). */
function answered(outcome: unknown): boolean {
  return outcome !== NO_CACHE_ANSWER;
}

/**
 * A hit parsed from its text (a new object no one else holds), or `undefined` when the text is
 * not a token (unreadable text is a miss: the storage answers and the fill replaces it).
 */
function parseHit(text: string): OAuthToken | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isToken(value) ? value : undefined;
}

function isToken(value: unknown): value is OAuthToken {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as OAuthToken).access_token === 'string'
  );
}

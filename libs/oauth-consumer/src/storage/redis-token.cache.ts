import { CacheTokenOptions, TokenCache } from './cached-token.storage';

/**
 * The three calls of a node-redis (v4/v5) client the token cache makes; any client with them
 * will do (for ioredis: `{ get, del, set: (k, v, o) => o ? io.set(k, v, 'PX', o.PX) : io.set(k, v) }`).
 * @publicApi
 */
export interface RedisTokenCacheClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { PX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * `cache` options with a Redis client of the app's: tokens are cached straight in Redis
 * (`GET`, `SET PX`, `DEL`, plain JSON), without cache-manager and Keyv in between.
 * @publicApi
 */
export interface RedisCacheTokenOptions extends CacheTokenOptions {
  /** A connected node-redis client (`await createClient({ url }).connect()`), owned by the app. */
  redis: RedisTokenCacheClient;
  /** Prefix of every key (default none: keys are `nest-dance:token:...`). */
  keyPrefix?: string;
}

/**
 * A `TokenCache` over a Redis client: one `GET` and one `JSON.parse` per cache hit, TTLs in
 * milliseconds as `SET ... PX`. `CachedTokenStorage` around it keeps everything else as with
 * `CACHE_MANAGER`: invalidation on write, write marks, TTL <= the token's life, timeouts.
 * @publicApi
 */
export class RedisTokenCache implements TokenCache {
  /**
   * One connection runs commands in the order they arrive; a cluster client sends the mark
   * and the entry (other keys, other slots) to different servers, where either may run first.
   */
  readonly callsInOrder: boolean;

  /** Each key with the prefix, concatenated once (a new string per call is flattened per write). */
  private readonly prefixedKeys = new Map<string, string>();

  constructor(
    private readonly client: RedisTokenCacheClient,
    private readonly keyPrefix = '',
  ) {
    this.callsInOrder = !isClusterClient(client);
  }

  /** Every hit is parsed from its text: a new object no one else holds. */
  readonly returnsCopies = true;

  /** The value under `key`, parsed, or `undefined`. */
  get<T>(key: string): Promise<T | undefined> {
    return this.getText(key).then(parseCached<T>);
  }

  /** The JSON text under `key`, unparsed (what `get` parses). */
  getText(key: string): Promise<string | null> {
    return this.client.get(this.prefixed(key));
  }

  /** Stores `value` as JSON for `ttl` milliseconds (rounded up; no expiry without a TTL). */
  set<T>(key: string, value: T, ttl?: number): Promise<unknown> {
    const text = JSON.stringify(value);
    return ttl !== undefined && ttl > 0
      ? this.client.set(this.prefixed(key), text, { PX: Math.ceil(ttl) })
      : this.client.set(this.prefixed(key), text);
  }

  /** Removes `key`. */
  del(key: string): Promise<unknown> {
    return this.client.del(this.prefixed(key));
  }

  /** `keyPrefix + key`, remembered (past `MAX_PREFIXED_KEYS` keys the memo starts again). */
  private prefixed(key: string): string {
    if (this.keyPrefix === '') return key;
    let prefixed = this.prefixedKeys.get(key);
    if (prefixed === undefined) {
      if (this.prefixedKeys.size >= MAX_PREFIXED_KEYS)
        this.prefixedKeys.clear();
      prefixed = this.keyPrefix + key;
      this.prefixedKeys.set(key, prefixed);
    }
    return prefixed;
  }
}

/** Past this many prefixed keys the memo starts again empty. */
const MAX_PREFIXED_KEYS = 10_000;

/** node-redis's `createCluster()` client or ioredis's `Cluster`. */
function isClusterClient(client: RedisTokenCacheClient): boolean {
  const probe = client as {
    isCluster?: unknown;
    getSlotMaster?: unknown;
    masters?: unknown;
  };
  return (
    probe.isCluster === true ||
    typeof probe.getSlotMaster === 'function' ||
    Array.isArray(probe.masters)
  );
}

function parseCached<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** Whether `cache` options name a Redis client (`cache: { redis }`). */
export function isRedisCacheOptions(
  options: CacheTokenOptions | RedisCacheTokenOptions,
): options is RedisCacheTokenOptions {
  return (options as { redis?: unknown }).redis !== undefined;
}

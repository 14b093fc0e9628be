import './register-paths';
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import {
  CachedTokenStorage,
  MemoryTokenStorage,
  RedisTokenCache,
  TokenKey,
  tokenCacheKey,
  withExpiresAt,
} from 'nest-dance';
import { TypeOrmTokenStorage, ownerKeyOf } from 'nest-dance/typeorm';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import {
  BenchToken,
  POSTGRES,
  REDIS_PREFIX,
  REDIS_URL,
  TABLE_PREFIX,
  benchDataSourceOptions,
  sampleToken,
} from './bench-env';
import { serveChild } from './child';
import { Sample, sampleOf } from './stats';

/** What a worker reads: through the library, or with the raw client. */
export type StorageReadKind =
  | 'typeorm'
  | 'pg'
  | 'cached-redis'
  | 'cached-redis-json'
  | 'cache-manager'
  | 'cached-redis-client'
  | 'redis';

/** One measured round: `concurrency` loops of reads for `seconds`. */
export interface StorageReadRound {
  seconds: number;
  concurrency: number;
}

/** The part of `pg` used here (the repository has no @types/pg). */
interface PgPool {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Pool } = require('pg') as { Pool: new (config: object) => PgPool };

const KEY: TokenKey = { provider: 'local', userId: 'alice' };
const CACHE_NAMESPACE = `${REDIS_PREFIX}storage-read-cache`;

type Reader = { read: () => Promise<unknown>; close: () => Promise<void> };

/** TypeOrmTokenStorage.get on PostgreSQL, after storing the row it reads. */
async function typeorm(): Promise<Reader> {
  const dataSource = await new DataSource(
    benchDataSourceOptions(),
  ).initialize();
  const storage = new TypeOrmTokenStorage(dataSource, BenchToken);
  await storage.set(KEY, withExpiresAt(sampleToken('alice')));
  return { read: () => storage.get(KEY), close: () => dataSource.destroy() };
}

/** The same row with a raw `pg` prepared statement on a pool of the same size (10). */
async function pg(): Promise<Reader> {
  const pool = new Pool({
    host: POSTGRES.host,
    port: POSTGRES.port,
    user: POSTGRES.username,
    database: POSTGRES.database,
    max: 10,
  });
  const query = {
    name: 'bench-token-select',
    text: `SELECT "token" FROM "${TABLE_PREFIX}oauth_token" WHERE "ownerKey" = $1`,
    values: [ownerKeyOf(KEY)],
  };
  return {
    read: async () => (await pool.query(query)).rows[0],
    close: () => pool.end(),
  };
}

/** CachedTokenStorage.get on a hit, with cache-manager over @keyv/redis (as CACHE_MANAGER would be). */
async function cachedRedis(): Promise<Reader> {
  const store = new Keyv({
    store: new KeyvRedis(REDIS_URL),
    namespace: CACHE_NAMESPACE,
  });
  const cache = createCache({ stores: [store] });
  const source = new MemoryTokenStorage();
  const storage = new CachedTokenStorage(source, cache, {
    maxTtl: 3_600_000,
    timeout: 2_000, // a slow answer under load must not send reads to the emptied source
  });
  await storage.set(KEY, withExpiresAt(sampleToken('alice'))); // drops any cached copy
  await storage.get(KEY); // fills the cache with a TTL of an hour
  source.clear(); // from now on only a cache hit finds the token
  return {
    read: async () => {
      if (!(await storage.get(KEY))) throw new Error('cache miss');
    },
    close: () => cache.disconnect().then(() => undefined),
  };
}

/**
 * The same as `cachedRedis`, with the Keyv store's serializers set to plain `JSON.stringify` /
 * `JSON.parse` (what an app can configure today), in a namespace of its own.
 */
async function cachedRedisJson(): Promise<Reader> {
  const store = new Keyv({
    store: new KeyvRedis(REDIS_URL),
    namespace: `${REDIS_PREFIX}storage-read-json-cache`,
    serialize: JSON.stringify,
    deserialize: JSON.parse,
  });
  const cache = createCache({ stores: [store] });
  const source = new MemoryTokenStorage();
  const storage = new CachedTokenStorage(source, cache, {
    maxTtl: 3_600_000,
    timeout: 2_000, // a slow answer under load must not send reads to the emptied source
  });
  await storage.set(KEY, withExpiresAt(sampleToken('alice')));
  await storage.get(KEY);
  source.clear();
  return {
    read: async () => {
      if (!(await storage.get(KEY))) throw new Error('cache miss');
    },
    close: () => cache.disconnect().then(() => undefined),
  };
}

/** cache-manager's `get` of the same key alone: what CachedTokenStorage calls on a hit. */
async function cacheManager(): Promise<Reader> {
  const store = new Keyv({
    store: new KeyvRedis(REDIS_URL),
    namespace: CACHE_NAMESPACE,
  });
  const cache = createCache({ stores: [store] });
  const key = tokenCacheKey(KEY);
  return {
    read: async () => {
      if (!(await cache.get(key))) throw new Error('cache miss');
    },
    close: () => cache.disconnect().then(() => undefined),
  };
}

/**
 * CachedTokenStorage.get on a hit over the library's `RedisTokenCache` on a node-redis client
 * (what `cache: { redis: client }` sets up): GET + JSON.parse, without cache-manager and Keyv.
 */
async function cachedRedisClient(): Promise<Reader> {
  const client = await createClient({ url: REDIS_URL }).connect();
  const cache = new RedisTokenCache(client, `${REDIS_PREFIX}client:`);
  const source = new MemoryTokenStorage();
  const storage = new CachedTokenStorage(source, cache, {
    maxTtl: 3_600_000,
    timeout: 2_000, // a slow answer under load must not send reads to the emptied source
  });
  await storage.set(KEY, withExpiresAt(sampleToken('alice'))); // drops any cached copy
  await storage.get(KEY); // fills the cache with a TTL of an hour
  source.clear(); // from now on only a cache hit finds the token
  return {
    read: async () => {
      if (!(await storage.get(KEY))) throw new Error('cache miss');
    },
    close: () => client.quit().then(() => undefined),
  };
}

/**
 * A raw node-redis GET of the key the cached storage filled, and the `JSON.parse` that any read
 * returning a token must do: the fair baseline.
 */
async function redis(): Promise<Reader> {
  const client = await createClient({ url: REDIS_URL }).connect();
  const [key] = (await client.keys(`${CACHE_NAMESPACE}*`)) as string[];
  if (!key)
    throw new Error('start the cached-redis worker first: it fills the key');
  return {
    read: async () => {
      const text = await client.get(key);
      if (text === null) throw new Error('key gone');
      return JSON.parse(text) as unknown;
    },
    close: () => client.quit().then(() => undefined),
  };
}

const READERS: Record<StorageReadKind, () => Promise<Reader>> = {
  typeorm,
  pg,
  'cached-redis': cachedRedis,
  'cached-redis-json': cachedRedisJson,
  'cache-manager': cacheManager,
  'cached-redis-client': cachedRedisClient,
  redis,
};

async function measure(
  reader: Reader,
  { seconds, concurrency }: StorageReadRound,
): Promise<Sample> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await reader.read();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return sampleOf(latencies, (performance.now() - started) / 1000);
}

/** Scenario 2's worker: one kind of reader per process, measured round by round. */
serveChild(async ({ kind }: { kind: StorageReadKind }) => {
  const reader = await READERS[kind]();
  await measure(reader, { seconds: 1, concurrency: 32 }); // warm-up: JIT, pool connections
  return {
    ready: kind,
    handle: (message) => measure(reader, message as StorageReadRound),
    close: () => reader.close(),
  };
});

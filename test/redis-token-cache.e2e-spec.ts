import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CacheTokenOptions,
  CachedTokenStorage,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthToken,
  RedisTokenCache,
  RedisTokenCacheClient,
  TOKEN_STORAGE,
  TokenKey,
  tokenCacheKey,
  withExpiresAt,
} from 'nest-dance';
import { RedisClientType, createClient } from 'redis';
import request from 'supertest';
import { REDIS_URL } from './support/databases';
import {
  FIXTURE_PUBLIC_URL,
  GithubTokenController,
  githubBlueprint,
  userFromHeader,
} from './support/token-app';

/** Every key of this file starts with this prefix (deleted at the end). */
const PREFIX = `nd-redis-token-cache-${process.pid}:`;
const KEY: TokenKey = { provider: 'github', userId: 'ann' };
const tokenOf = (label: string, extra: Partial<OAuthToken> = {}) => ({
  access_token: `${label}-access-secret`,
  refresh_token: `${label}-refresh-secret`,
  token_type: 'Bearer',
  ...extra,
});

/**
 * Two processes' caches over one storage (the source of truth they share): each with its own
 * Redis client, both under the same key prefix, as two app instances behind a load balancer.
 */
function twoProcesses(
  source: MemoryTokenStorage,
  clients: [RedisTokenCacheClient, RedisTokenCacheClient],
  prefix: string,
  options: CacheTokenOptions,
): [CachedTokenStorage, CachedTokenStorage] {
  const [a, b] = clients.map(
    (client) =>
      new CachedTokenStorage(
        source,
        new RedisTokenCache(client, `${PREFIX}${prefix}`),
        options,
      ),
  );
  return [a, b];
}

describe('cache: { redis } (RedisTokenCache over a node-redis client, real Redis)', () => {
  let redis: RedisClientType;
  let peer: RedisClientType;

  beforeAll(async () => {
    redis = (await createClient({
      url: REDIS_URL,
    }).connect()) as RedisClientType;
    peer = (await createClient({
      url: REDIS_URL,
    }).connect()) as RedisClientType;
  });

  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(keys);
    await redis.quit();
    await peer.quit();
  });

  it('caches through the module: a read after the first comes from Redis, as plain JSON with a TTL', async () => {
    @Module({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: FIXTURE_PUBLIC_URL,
          storage: MemoryTokenStorage,
          user: userFromHeader,
          // A loaded CI machine can take longer than the default 100 ms per cache call, and a
          // timed-out fill is skipped; what is stored is asserted here, not the timeout.
          cache: { redis, keyPrefix: `${PREFIX}app:`, timeout: 2000 },
          blueprints: [githubBlueprint],
        }),
      ],
      controllers: [GithubTokenController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    const source = moduleRef.get<MemoryTokenStorage>(TOKEN_STORAGE);
    const app: INestApplication = await moduleRef
      .createNestApplication()
      .init();
    try {
      const http = request(app.getHttpServer());
      await http
        .post('/github-token')
        .set('x-user', 'ann')
        .send(tokenOf('first', { expires_in: 3600 }))
        .expect(201);
      await http.get('/github-token').set('x-user', 'ann').expect(200); // fills the cache
      const key = `${PREFIX}app:${tokenCacheKey(KEY)}`;
      const stored = JSON.parse((await redis.get(key))!) as OAuthToken;
      expect(stored.access_token).toBe('first-access-secret');
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300_000); // the default maxTtl
      // The source forgets it: only the cache can answer now.
      source.clear();
      const hit = await http.get('/github-token').set('x-user', 'ann');
      expect(hit.body.token.access_token).toBe('first-access-secret');
    } finally {
      await app.close();
    }
  });

  it('never caches past the token life, and a write in one process drops the copy another cached', async () => {
    const source = new MemoryTokenStorage();
    const options = { maxTtl: 3_600_000, timeout: 2000 };
    const [a, b] = twoProcesses(source, [redis, peer], 'shared:', options);
    await a.set(KEY, withExpiresAt(tokenOf('short', { expires_in: 2 })));
    expect((await a.get(KEY))?.access_token).toBe('short-access-secret');
    const ttl = await redis.pTTL(`${PREFIX}shared:${tokenCacheKey(KEY)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_000);

    await a.set(KEY, withExpiresAt(tokenOf('one', { expires_in: 3600 })));
    expect((await a.get(KEY))?.access_token).toBe('one-access-secret'); // cached by a
    await b.set(KEY, withExpiresAt(tokenOf('two', { expires_in: 3600 })));
    expect((await a.get(KEY))?.access_token).toBe('two-access-secret');
    await b.delete(KEY);
    expect(await a.get(KEY)).toBeNull();
  });

  it('bypasses a Redis that does not answer within the timeout', async () => {
    const source = new MemoryTokenStorage();
    await source.set(
      KEY,
      withExpiresAt(tokenOf('source', { expires_in: 3600 })),
    );
    const stuck: RedisTokenCacheClient = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      del: () => new Promise(() => undefined),
    };
    const storage = new CachedTokenStorage(source, new RedisTokenCache(stuck), {
      timeout: 50,
    });
    const started = Date.now();
    expect((await storage.get(KEY))?.access_token).toBe('source-access-secret');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('replaces a token with one round trip to Redis: the write mark and the removal, together and in order', async () => {
    const source = new MemoryTokenStorage();
    const commands: string[] = [];
    const inFlight = { now: 0, most: 0 };
    const counted = <T>(name: string, call: () => Promise<T>) => {
      commands.push(name);
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      return call().finally(() => inFlight.now--);
    };
    const recording: RedisTokenCacheClient = {
      get: (key) => counted(`GET ${key}`, () => redis.get(key)),
      set: (key, value, options) =>
        counted(`SET ${key}`, () => redis.set(key, value, options)),
      del: (key) => counted(`DEL ${key}`, () => redis.del(key)),
    };
    const cache = new RedisTokenCache(recording, `${PREFIX}ordered:`);
    expect(cache.callsInOrder).toBe(true);
    const storage = new CachedTokenStorage(source, cache, { timeout: 2000 });
    await storage.set(KEY, withExpiresAt(tokenOf('one', { expires_in: 3600 })));
    const entry = `${PREFIX}ordered:${tokenCacheKey(KEY)}`;
    // After the row changed: the mark first, the removal second, in one trip.
    expect(commands.map((c) => c.split(' ')[0])).toEqual(['SET', 'DEL']);
    expect(commands[1]).toBe(`DEL ${entry}`);
    expect(commands[0]).not.toBe(`SET ${entry}`);
    expect(inFlight.most).toBe(2);
    // And the protocol still holds: the copy cached before a write is gone after it.
    expect((await storage.get(KEY))?.access_token).toBe('one-access-secret');
    expect(await redis.exists(entry)).toBe(1);
    await storage.set(KEY, withExpiresAt(tokenOf('two', { expires_in: 3600 })));
    expect(await redis.exists(entry)).toBe(0);
    expect((await storage.get(KEY))?.access_token).toBe('two-access-secret');
    // A delete also drops the entry before the row goes: a pair before, a pair after.
    commands.length = 0;
    await storage.delete(KEY);
    expect(commands.map((c) => c.split(' ')[0])).toEqual([
      'SET',
      'DEL',
      'SET',
      'DEL',
    ]);
    expect(await storage.get(KEY)).toBeNull();
  });

  it('waits for each write mark before the removal on a cluster client (no order across servers)', async () => {
    const calls: string[] = [];
    let pending = 0;
    let overlapped = false;
    const step = (name: string) => {
      calls.push(name);
      if (pending++) overlapped = true;
      return new Promise<unknown>((resolve) =>
        setTimeout(() => {
          pending--;
          resolve(name === 'get' ? null : 'OK');
        }, 5),
      );
    };
    // node-redis's createCluster() client has getSlotMaster; ioredis's Cluster has isCluster.
    for (const marker of [
      { getSlotMaster: () => undefined },
      { isCluster: true },
    ]) {
      calls.length = 0;
      const cluster = {
        ...marker,
        get: () => step('get') as Promise<string | null>,
        set: () => step('set'),
        del: () => step('del'),
      };
      const cache = new RedisTokenCache(cluster);
      expect(cache.callsInOrder).toBe(false);
      const storage = new CachedTokenStorage(new MemoryTokenStorage(), cache, {
        timeout: 2000,
      });
      await storage.set(KEY, tokenOf('c'));
      expect(calls).toEqual(['set', 'del']);
      calls.length = 0;
      await storage.delete(KEY);
      expect(calls).toEqual(['set', 'del', 'set', 'del']);
      expect(overlapped).toBe(false);
    }
  });

  it('retries an invalidation that failed until it lands: no process keeps serving the replaced token', async () => {
    const source = new MemoryTokenStorage();
    const options = { maxTtl: 3_600_000, timeout: 2_000, retryAfter: 150 };
    // Process a's connection to Redis: up, refusing, or holding its writes until released.
    let mode: 'up' | 'down' | 'holding writes' = 'up';
    let writeHeld!: () => void;
    const heldWrite = new Promise<void>((resolve) => (writeHeld = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const write = async <T>(call: () => Promise<T>): Promise<T> => {
      if (mode === 'down') throw new Error('connection refused');
      if (mode === 'holding writes') {
        writeHeld();
        await released;
      }
      return call();
    };
    const flaky: RedisTokenCacheClient = {
      get: (key) =>
        mode === 'down'
          ? Promise.reject(new Error('connection refused'))
          : redis.get(key),
      set: (key, value, options) => write(() => redis.set(key, value, options)),
      del: (key) => write(() => redis.del(key)),
    };
    const [a, b] = twoProcesses(source, [flaky, peer], 'owed:', options);
    const entry = `${PREFIX}owed:${tokenCacheKey(KEY)}`;
    const cachedAccessToken = async () =>
      (JSON.parse((await redis.get(entry)) ?? '{}') as Partial<OAuthToken>)
        .access_token;
    await a.set(KEY, withExpiresAt(tokenOf('old', { expires_in: 3600 })));
    expect((await b.get(KEY))?.access_token).toBe('old-access-secret');
    expect(await cachedAccessToken()).toBe('old-access-secret'); // b filled it

    mode = 'down';
    await a.set(KEY, withExpiresAt(tokenOf('new', { expires_in: 3600 })));
    // The invalidation could not land: the replaced token is still in Redis.
    expect(await cachedAccessToken()).toBe('old-access-secret');

    // Redis answers again; a's retry is under way (held), its cache bypass is over.
    mode = 'holding writes';
    let notRetried: NodeJS.Timeout | undefined;
    await Promise.race([
      heldWrite,
      new Promise((_, reject) => {
        notRetried = setTimeout(
          () => reject(new Error('the failed invalidation was not retried')),
          5_000,
        );
      }),
    ]).finally(() => clearTimeout(notRetried));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // a does not read from the cache what it still owes an invalidation, nor fill it.
    expect((await a.get(KEY))?.access_token).toBe('new-access-secret');
    expect(await cachedAccessToken()).toBe('old-access-secret');

    release();
    const landedBy = Date.now() + 5_000;
    while ((await redis.exists(entry)) === 1 && Date.now() < landedBy) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await redis.exists(entry)).toBe(0);
    mode = 'up';
    expect((await b.get(KEY))?.access_token).toBe('new-access-secret');
    // Settled: a reads from the cache again.
    await redis.set(
      entry,
      JSON.stringify(withExpiresAt(tokenOf('planted', { expires_in: 3600 }))),
    );
    expect((await a.get(KEY))?.access_token).toBe('planted-access-secret');
  });

  it('reads an entry that is not a token (unreadable text, another JSON value) as a miss, and refills it', async () => {
    const source = new MemoryTokenStorage();
    await source.set(
      KEY,
      withExpiresAt(tokenOf('stored', { expires_in: 3600 })),
    );
    const storage = new CachedTokenStorage(
      source,
      new RedisTokenCache(redis, `${PREFIX}unreadable:`),
      { timeout: 2000 },
    );
    const entry = `${PREFIX}unreadable:${tokenCacheKey(KEY)}`;
    for (const planted of ['{"access_token": "cut sho', '"a string"', '{}']) {
      await redis.set(entry, planted);
      expect((await storage.get(KEY))?.access_token).toBe(
        'stored-access-secret',
      );
      const refilled = JSON.parse((await redis.get(entry)) ?? '{}') as {
        access_token?: string;
      };
      expect(refilled.access_token).toBe('stored-access-secret');
    }
  });

  it('hands out each Redis hit as a new object, so a caller changing it changes nothing else', async () => {
    const source = new MemoryTokenStorage();
    const cache = new RedisTokenCache(redis, `${PREFIX}copies:`);
    expect(cache.returnsCopies).toBe(true);
    const storage = new CachedTokenStorage(source, cache, { timeout: 2000 });
    await storage.set(KEY, withExpiresAt(tokenOf('own', { expires_in: 3600 })));
    await storage.get(KEY); // fills the cache
    const first = await storage.get(KEY);
    first!.access_token = 'changed by the caller';
    expect((await storage.get(KEY))?.access_token).toBe('own-access-secret');
  });
});

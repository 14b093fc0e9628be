import KeyvRedis from '@keyv/redis';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import {
  BlueprintRegistry,
  CACHE_MANAGER_TOKEN,
  CacheTokenOptions,
  CachedTokenStorage,
  InvalidOptionsError,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthToken,
  OAuthUserContext,
  SessionTokenStorage,
  TokenKey,
  oauth2,
  tokenCacheKey,
} from 'nest-dance';
import { OAuthTokenEntity, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import request from 'supertest';
import { DataSourceOptions, Entity } from 'typeorm';
import { CapturingLogger } from './support/capturing-logger';
import { REDIS_URL, isolatedDataSourceOptions } from './support/databases';
import { TcpProxy } from './support/tcp-proxy';
import {
  FIXTURE_PUBLIC_URL,
  GithubTokenController,
  githubBlueprint,
  userFromHeader,
} from './support/token-app';

@Entity('nd_cache_token')
class CachedToken extends OAuthTokenEntity {}

const NAMESPACE = 'nd_cache';
/** Every Redis key of this file lives under this Keyv namespace. */
const REDIS_NAMESPACE = `nd-cache-${process.pid}`;
const WARNING_CONTEXT = CachedTokenStorage.name;
const logs = new CapturingLogger();

const tokenOf = (label: string, extra: Partial<OAuthToken> = {}) => ({
  access_token: `${label}-access-secret`,
  refresh_token: `${label}-refresh-secret`,
  token_type: 'Bearer',
  ...extra,
});

/** A Nest app storing tokens with TypeORM on PostgreSQL, cached in `store` (Redis). */
async function startCachedApp(
  dataSourceOptions: DataSourceOptions,
  store: KeyvRedis<unknown>,
  cache: CacheTokenOptions,
): Promise<INestApplication> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...dataSourceOptions,
        retryAttempts: 0,
      } as TypeOrmModuleOptions),
      CacheModule.register({
        isGlobal: true,
        stores: [new Keyv({ store, namespace: REDIS_NAMESPACE })],
      }),
      OAuthConsumerModule.forRoot({
        storage: TypeOrmTokenStorage.forEntity(CachedToken),
        cache,
        user: userFromHeader,
        publicUrl: FIXTURE_PUBLIC_URL,
        blueprints: [githubBlueprint],
      }),
    ],
    controllers: [GithubTokenController],
  })
  class CachedAppModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [CachedAppModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: logs });
  await app.init();
  return app;
}

/** Reads the token cache of this file straight from Redis, as another process would see it. */
function redisProbe(): Keyv {
  return new Keyv({
    store: new KeyvRedis(REDIS_URL),
    namespace: REDIS_NAMESPACE,
  });
}

const keyOf = (userId: string): string =>
  tokenCacheKey({ provider: 'github', userId });

beforeAll(() => {
  Logger.overrideLogger(logs);
});

describe('CachedTokenStorage over TypeORM, two app instances sharing Redis', () => {
  let app1: INestApplication;
  let app2: INestApplication;
  let probe: Keyv;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedDataSourceOptions('postgres', NAMESPACE, [
      CachedToken,
    ]);
    cleanup = isolated.cleanup;
    const cacheOptions = { maxTtl: 60_000, timeout: 1_000 };
    app1 = await startCachedApp(
      isolated.options,
      new KeyvRedis(REDIS_URL),
      cacheOptions,
    );
    // The second instance uses the same table as it stands (no schema rebuild).
    app2 = await startCachedApp(
      { ...isolated.options, synchronize: false, dropSchema: false },
      new KeyvRedis(REDIS_URL),
      cacheOptions,
    );
    probe = redisProbe();
    await probe.clear();
  });

  afterAll(async () => {
    await probe?.clear();
    await probe?.disconnect();
    await app1?.close();
    await app2?.close();
    await cleanup?.();
  });

  const as = (app: INestApplication, user: string) => ({
    get: () =>
      request(app.getHttpServer())
        .get('/github-token')
        .set('x-user', user)
        .expect(200)
        .then((response) => response.body.token as OAuthToken | null),
    post: (token: OAuthToken) =>
      request(app.getHttpServer())
        .post('/github-token')
        .set('x-user', user)
        .send(token)
        .expect(201),
    delete: () =>
      request(app.getHttpServer())
        .delete('/github-token')
        .set('x-user', user)
        .expect(200),
  });

  it('a token written through app 1 replaces the copy app 2 had cached in Redis', async () => {
    await as(app1, 'alice').post(tokenOf('alice-v1'));
    expect(await as(app2, 'alice').get()).toMatchObject(tokenOf('alice-v1'));
    expect(await probe.get(keyOf('alice'))).toMatchObject(tokenOf('alice-v1'));

    await as(app1, 'alice').post(tokenOf('alice-v2'));
    expect(await probe.get(keyOf('alice'))).toBeUndefined();
    expect(await as(app2, 'alice').get()).toMatchObject(tokenOf('alice-v2'));
    expect(await as(app1, 'alice').get()).toMatchObject(tokenOf('alice-v2'));
  });

  it('a token deleted through app 2 is gone for app 1, which had it cached', async () => {
    await as(app1, 'bob').post(tokenOf('bob'));
    expect(await as(app1, 'bob').get()).toMatchObject(tokenOf('bob'));
    expect(await probe.get(keyOf('bob'))).toMatchObject(tokenOf('bob'));

    await as(app2, 'bob').delete();
    expect(await probe.get(keyOf('bob'))).toBeUndefined();
    expect(await as(app1, 'bob').get()).toBeNull();
    expect(await as(app2, 'bob').get()).toBeNull();
  });

  it('caches a token no longer than its remaining life, and others no longer than maxTtl', async () => {
    await as(app1, 'carol').post(tokenOf('carol', { expires_in: 3 }));
    await as(app1, 'dave').post(tokenOf('dave'));
    expect(await as(app2, 'carol').get()).toMatchObject(tokenOf('carol'));
    expect(await as(app2, 'dave').get()).toMatchObject(tokenOf('dave'));

    const now = Date.now();
    const carol = await probe.get(keyOf('carol'), { raw: true });
    const dave = await probe.get(keyOf('dave'), { raw: true });
    expect(carol?.expires).toBeLessThanOrEqual(now + 3_000);
    expect(carol?.expires).toBeGreaterThan(now);
    expect(dave?.expires).toBeLessThanOrEqual(now + 60_000);
    expect(dave?.expires).toBeGreaterThan(now + 50_000);
  });
});

describe('CachedTokenStorage when Redis is unreachable', () => {
  let app: INestApplication;
  let deadRedis: KeyvRedis<unknown>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedDataSourceOptions(
      'postgres',
      `${NAMESPACE}_down`,
      [CachedToken],
    );
    cleanup = isolated.cleanup;
    // Nothing listens on port 1: the client retries forever and its commands never answer.
    deadRedis = new KeyvRedis('redis://127.0.0.1:1');
    app = await startCachedApp(isolated.options, deadRedis, { timeout: 100 });
  });

  afterAll(async () => {
    // Destroy the never-connected client first: a graceful close would wait for it forever.
    await deadRedis?.disconnect(true);
    await app?.close();
    await cleanup?.();
  });

  it('serves every read from the database in bounded time and warns once, without the token', async () => {
    const warningsBefore = logs.of('warn', WARNING_CONTEXT).length;
    const server = app.getHttpServer();
    await request(server)
      .post('/github-token')
      .set('x-user', 'erin')
      .send(tokenOf('erin'))
      .expect(201);

    for (let read = 0; read < 5; read++) {
      const started = Date.now();
      const response = await request(server)
        .get('/github-token')
        .set('x-user', 'erin')
        .expect(200);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(response.body.token).toMatchObject(tokenOf('erin'));
    }
    await request(server)
      .delete('/github-token')
      .set('x-user', 'erin')
      .expect(200);
    expect(
      (await request(server).get('/github-token').set('x-user', 'erin')).body
        .token,
    ).toBeNull();

    const warnings = logs.of('warn', WARNING_CONTEXT).slice(warningsBefore);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('CACHE_MANAGER');
    expect(warnings[0].message).not.toContain('secret');
  });
});

describe('CachedTokenStorage when Redis goes down and comes back', () => {
  let proxy: TcpProxy;
  let cache: ReturnType<typeof createCache>;
  let probe: Keyv;

  beforeAll(async () => {
    proxy = await TcpProxy.start('127.0.0.1', 6379);
    cache = createCache({
      stores: [
        new Keyv({
          store: new KeyvRedis(`redis://127.0.0.1:${proxy.port}`),
          namespace: `${REDIS_NAMESPACE}-flaky`,
        }),
      ],
    });
    probe = new Keyv({
      store: new KeyvRedis(REDIS_URL),
      namespace: `${REDIS_NAMESPACE}-flaky`,
    });
    // Connect before the test: a first connection on a busy machine may exceed the 100 ms timeout.
    await cache.get('warm-up');
  });

  afterAll(async () => {
    await probe?.clear();
    await probe?.disconnect();
    await proxy?.restore();
    await cache?.disconnect();
    await proxy?.cut();
  });

  it('falls back to the storage, stays quiet while down, and uses the cache again once it answers', async () => {
    // 400 ms: generous enough for a loaded 2-core CI machine, still far under the 1 s bound below.
    const storage = new CachedTokenStorage(new MemoryTokenStorage(), cache, {
      timeout: 400,
      retryAfter: 200,
    });
    const key: TokenKey = { provider: 'github', userId: 'frank' };
    const warningsBefore = logs.of('warn', WARNING_CONTEXT).length;
    await storage.set(key, tokenOf('frank'));
    await storage.get(key);
    expect(await probe.get(tokenCacheKey(key))).toMatchObject(tokenOf('frank'));

    await proxy.cut();
    for (let read = 0; read < 4; read++) {
      const started = Date.now();
      expect(await storage.get(key)).toMatchObject(tokenOf('frank'));
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // Written while the cache is down: the old cached copy must not come back afterwards.
    await storage.set(key, tokenOf('frank-v2'));
    const warnings = logs.of('warn', WARNING_CONTEXT).slice(warningsBefore);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).not.toContain('secret');

    await proxy.restore();
    const recoveredBy = Date.now() + 10_000;
    while (
      !logs
        .of('log', WARNING_CONTEXT)
        .some((l) => l.message.includes('answers again')) &&
      Date.now() < recoveredBy
    ) {
      expect(await storage.get(key)).toMatchObject(tokenOf('frank-v2'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(
      logs
        .of('log', WARNING_CONTEXT)
        .some((l) => l.message.includes('answers again')),
    ).toBe(true);
    expect(await storage.get(key)).toMatchObject(tokenOf('frank-v2'));
    expect(await probe.get(tokenCacheKey(key))).toMatchObject(
      tokenOf('frank-v2'),
    );
    expect(logs.of('warn', WARNING_CONTEXT).slice(warningsBefore)).toHaveLength(
      1,
    );
  });
});

/** A real storage whose next read can be held after it has read, to replay a slow reader. */
class HeldReadStorage extends MemoryTokenStorage {
  private hold: { reached: () => void; released: Promise<void> } | undefined;

  /** Holds the next `get` after it has read; resolves `reached` then, and waits for `release()`. */
  holdNextRead(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.hold = { reached, released };
    return { reached: reachedPromise, release };
  }

  override async get(key: TokenKey): Promise<OAuthToken | null> {
    const token = await super.get(key);
    const hold = this.hold;
    this.hold = undefined;
    if (hold) {
      hold.reached();
      await hold.released;
    }
    return token;
  }
}

describe('CachedTokenStorage consistency (in-memory cache-manager)', () => {
  const key: TokenKey = { provider: 'github', userId: 'gina' };

  it('a slow reader cannot bring a deleted token back into the cache', async () => {
    const inner = new HeldReadStorage();
    const cache = createCache();
    const storage = new CachedTokenStorage(inner, cache);
    await storage.set(key, tokenOf('gina'));

    const hold = inner.holdNextRead();
    const slowRead = storage.get(key);
    await hold.reached; // the reader has the old row and is about to fill the cache
    await storage.delete(key);
    hold.release();

    expect(await slowRead).toMatchObject(tokenOf('gina'));
    expect(await cache.get(tokenCacheKey(key))).toBeUndefined();
    expect(await storage.get(key)).toBeNull();
  });

  it('a slow reader cannot bring a replaced token back into the cache', async () => {
    const inner = new HeldReadStorage();
    const cache = createCache();
    const storage = new CachedTokenStorage(inner, cache);
    await storage.set(key, tokenOf('old'));

    const hold = inner.holdNextRead();
    const slowRead = storage.get(key);
    await hold.reached;
    await storage.set(key, tokenOf('new'));
    hold.release();

    expect(await slowRead).toMatchObject(tokenOf('old'));
    expect(await storage.get(key)).toMatchObject(tokenOf('new'));
    expect(await cache.get(tokenCacheKey(key))).toMatchObject(tokenOf('new'));
  });

  it('hands out copies on cache hits: mutating one changes neither the cache nor the next read', async () => {
    const cache = createCache();
    const storage = new CachedTokenStorage(new MemoryTokenStorage(), cache);
    const token = { ...tokenOf('hank'), extra: { scopes: ['a'] } };
    await storage.set(key, token);
    await storage.get(key); // fills the cache
    const hit = (await storage.get(key))!;
    hit.access_token = 'tampered';
    (hit.extra as { scopes: string[] }).scopes.push('admin');
    expect(await storage.get(key)).toEqual(token);
  });

  it('does not cache an expired token, and caps the TTL at the token life and maxTtl', async () => {
    const cache = createCache();
    const storage = new CachedTokenStorage(new MemoryTokenStorage(), cache, {
      maxTtl: 10_000,
    });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expired: TokenKey = { provider: 'github', userId: 'expired' };
    const shortLived: TokenKey = { provider: 'github', userId: 'short' };
    const longLived: TokenKey = { provider: 'github', userId: 'long' };
    await storage.set(expired, tokenOf('x', { expires_at: nowSeconds - 5 }));
    await storage.set(shortLived, tokenOf('s', { expires_at: nowSeconds + 3 }));
    await storage.set(
      longLived,
      tokenOf('l', { expires_at: nowSeconds + 999 }),
    );
    for (const owner of [expired, shortLived, longLived])
      await storage.get(owner);

    const now = Date.now();
    expect(await cache.get(tokenCacheKey(expired))).toBeUndefined();
    const shortExpiry = await cache.ttl(tokenCacheKey(shortLived));
    const longExpiry = await cache.ttl(tokenCacheKey(longLived));
    expect(shortExpiry).toBeLessThanOrEqual((nowSeconds + 3) * 1000);
    expect(shortExpiry).toBeGreaterThan(now);
    expect(longExpiry).toBeLessThanOrEqual(now + 10_000);
    expect(longExpiry).toBeGreaterThan(now + 9_000);
  });
});

describe('OAuthConsumerModule({ cache })', () => {
  const blueprints = [
    githubBlueprint,
    oauth2({
      name: 'gitlab',
      clientId: 'id',
      authorizationUrl: 'https://gitlab.example/authorize',
      tokenUrl: 'https://gitlab.example/token',
      storage: SessionTokenStorage,
    }),
  ];

  it('uses @nestjs/cache-manager’s injection token', () => {
    expect(CACHE_MANAGER_TOKEN).toBe(CACHE_MANAGER);
  });

  it('fails at start-up, naming the fix, when the app has no CacheModule', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          storage: MemoryTokenStorage,
          cache: true,
          publicUrl: FIXTURE_PUBLIC_URL,
          blueprints,
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(InvalidOptionsError);
    await expect(compiling).rejects.toThrow(
      /CacheModule\.register\(\{ isGlobal: true \}\)/,
    );
  });

  it('caches through CACHE_MANAGER for database-like storages and never for the session', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.register({ isGlobal: true }),
        OAuthConsumerModule.forRoot({
          storage: MemoryTokenStorage,
          cache: { maxTtl: 30_000 },
          publicUrl: FIXTURE_PUBLIC_URL,
          blueprints,
        }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const registry = moduleRef.get(BlueprintRegistry);
      const github = registry.get('github');
      expect(github.storage).toBeInstanceOf(CachedTokenStorage);
      expect(registry.get('gitlab').storage).toBeInstanceOf(
        SessionTokenStorage,
      );

      const cache =
        moduleRef.get<ReturnType<typeof createCache>>(CACHE_MANAGER);
      const context = moduleRef.get(OAuthUserContext);
      await context.runAs({ id: 'ivy' }, async () => {
        await github.setToken(tokenOf('ivy'));
        expect(await cache.get(keyOf('ivy'))).toBeUndefined();
        expect(await github.getToken()).toMatchObject(tokenOf('ivy'));
      });
      expect(await cache.get(keyOf('ivy'))).toMatchObject(tokenOf('ivy'));
    } finally {
      await moduleRef.close();
    }
  });
});

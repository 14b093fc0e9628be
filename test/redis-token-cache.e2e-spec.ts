import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
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
    const a = new CachedTokenStorage(
      source,
      new RedisTokenCache(redis, `${PREFIX}shared:`),
      options,
    );
    const b = new CachedTokenStorage(
      source,
      new RedisTokenCache(peer, `${PREFIX}shared:`),
      options,
    );
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
});

import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Keyv } from 'keyv';
import {
  TokenEncryptionOptions,
  TokenKey,
  UnreadableTokenEvent,
  tokenCacheKey,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { TypeOrmTokenStorage, reencryptTokens } from 'nest-dance/typeorm';
import {
  REDIS_URL,
  TestDatabase,
  openTestDatabase,
} from '../support/databases';
import { AllLevelsLogger } from './support/log-capture';
import { SecureApp, dance, signIn, startSecureApp } from './support/secure-app';
import {
  AdvToken,
  PLANTED,
  advStorage,
  newKey,
  plantedToken,
  rawOf,
  writeRaw,
} from './support/token-table';

const ALICE: TokenKey = { provider: 'local', userId: 'alice' };

/**
 * With encryption on, a token stored without it is an attacker's: someone with write access to
 * the table, or to the shared cache (whose keys are predictable), plants a plaintext token of
 * their own for a victim. Refused by default, reported through `onUnreadable`; accepted from the
 * storage only in the explicit migration mode, and never from the cache.
 */
describe('Adversarial: plaintext tokens planted while encryption is on', () => {
  let server: LocalAuthorizationServer;
  let postgres: TestDatabase;
  let app: SecureApp | undefined;
  let logs: AllLevelsLogger;
  let unreadable: UnreadableTokenEvent[];
  const K1 = { id: 'k1', key: newKey() };
  const namespace = `nd-adv-plain-${process.pid}`;
  /** The app's cache store and the attacker's view of it: one Redis namespace. */
  const redis = new Keyv({ store: new KeyvRedis(REDIS_URL), namespace });
  const cacheStore = () => redis;

  beforeAll(async () => {
    [server, postgres] = await Promise.all([
      LocalAuthorizationServer.start(),
      openTestDatabase('postgres', 'nd_adv_plain', [AdvToken]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), postgres?.close()]);
    await redis.clear();
    await redis.disconnect();
  });
  beforeEach(async () => {
    logs = new AllLevelsLogger();
    unreadable = [];
    await server.clearScriptedTokenResponses();
    await postgres.dataSource.getRepository(AdvToken).clear();
    await cacheStore().clear();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(
    encryption: Partial<TokenEncryptionOptions> = {},
    extra: Parameters<typeof startSecureApp>[1] = {},
  ) {
    app = await startSecureApp(server, {
      storage: advStorage(postgres.dataSource),
      logger: logs,
      encryption: {
        keys: [K1],
        onUnreadable: (event) => void unreadable.push(event),
        ...encryption,
      },
      ...extra,
    });
    return app;
  }
  const withRedisCache = {
    cache: { timeout: 1000 },
    imports: [CacheModule.register({ isGlobal: true, stores: [cacheStore()] })],
  };
  const connectionOf = async (browser: ReturnType<SecureApp['browser']>) =>
    (await browser.get('/me/connection').expect(200)).body as {
      connected: boolean;
      scope: string | null;
    };
  async function aliceConnected() {
    const alice = app!.browser();
    await signIn(alice, 'alice');
    expect((await dance(alice, server, { user: 'alice' })).status).toBe(302);
    return alice;
  }

  it('issue 13 #4: a plaintext token written over a sealed row is refused, reported as plaintext, and never used', async () => {
    await start();
    const alice = await aliceConnected();
    await writeRaw(
      postgres.dataSource,
      'alice',
      JSON.stringify(plantedToken('mallory')),
    );
    expect(await connectionOf(alice)).toEqual({
      connected: false,
      scope: null,
    });
    await alice.get('/me/provider-account').expect(500);
    expect(unreadable[0]).toEqual({ key: ALICE, reason: 'plaintext' });
    const warnings = logs.of('warn', 'EncryptedTokenStorage');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).toMatch(/plaintext: 'migrate'/);
    expect(logs.text()).not.toMatch(PLANTED);
  });

  it('issue 13 #4: a plaintext row planted for a user who has none is no token either', async () => {
    await start();
    await new TypeOrmTokenStorage(postgres.dataSource, AdvToken).set(
      { provider: 'local', userId: 'bob' },
      plantedToken('mallory'),
    );
    const bob = app!.browser();
    await signIn(bob, 'bob');
    expect(await connectionOf(bob)).toEqual({ connected: false, scope: null });
    expect(unreadable).toEqual([
      { key: { provider: 'local', userId: 'bob' }, reason: 'plaintext' },
    ]);
  });

  it.each(['refuse', 'migrate'] as const)(
    "issue 13 #4: a plaintext token planted in the Redis cache is never used (plaintext: '%s'); the sealed row is read instead",
    async (plaintext) => {
      await start({ plaintext }, withRedisCache);
      const alice = await aliceConnected();
      const real = await connectionOf(alice);
      expect(real.connected).toBe(true);
      // The attacker writes the predictable cache key, the way cache-manager does.
      await cacheStore().set(tokenCacheKey(ALICE), plantedToken('mallory'));
      expect(await connectionOf(alice)).toEqual(real);
      expect(unreadable).toEqual([
        { key: ALICE, reason: 'plaintext', source: 'cache' },
      ]);
      // The planted entry is gone from the cache.
      expect(
        String(JSON.stringify(await cacheStore().get(tokenCacheKey(ALICE)))),
      ).not.toMatch(PLANTED);
      expect(logs.text()).not.toMatch(PLANTED);
    },
  );

  it("issue 13 #4: plaintext: 'migrate' still reads tokens stored before encryption was on, and says so at start-up", async () => {
    // Stored by the app while it ran without encryption.
    await new TypeOrmTokenStorage(postgres.dataSource, AdvToken).set(
      ALICE,
      plantedToken('alice'),
    );

    await start({ plaintext: 'migrate' }, withRedisCache);
    const again = app!.browser();
    await signIn(again, 'alice');
    // Twice: the second read meets the plaintext the first put in the cache.
    for (let i = 0; i < 2; i++) {
      expect(await connectionOf(again)).toEqual({
        connected: true,
        scope: 'PLANT-SCOPE-alice',
      });
    }
    expect(unreadable).toEqual([]);
    expect(
      logs
        .of('warn')
        .map((line) => line.text)
        .join('\n'),
    ).toMatch(/encryption\.plaintext is 'migrate'.*reencryptTokens/s);
  });

  it('issue 13 #4: reencryptTokens leaves plaintext rows alone by default, and seals them with plaintext: migrate', async () => {
    const plain = new TypeOrmTokenStorage(postgres.dataSource, AdvToken);
    await plain.set(ALICE, plantedToken('alice'));
    const refused = await reencryptTokens(postgres.dataSource, AdvToken, {
      keys: [K1],
    });
    expect(refused).toMatchObject({ scanned: 1, encrypted: 0 });
    expect(refused.unreadable).toEqual([
      { id: expect.any(Number), provider: 'local', reason: 'plaintext' },
    ]);
    expect(await rawOf(postgres.dataSource, 'alice')).toMatch(PLANTED);
    const sealed = await reencryptTokens(postgres.dataSource, AdvToken, {
      keys: [K1],
      plaintext: 'migrate',
    });
    expect(sealed).toMatchObject({ scanned: 1, encrypted: 1, unreadable: [] });
    expect(await rawOf(postgres.dataSource, 'alice')).not.toMatch(PLANTED);
  });

  it('issue 13 #4: an unknown plaintext mode fails the start-up, naming both', async () => {
    await expect(
      start({ plaintext: 'accept' as unknown as 'migrate' }),
    ).rejects.toThrow(/encryption\.plaintext.*'refuse'.*'migrate'/);
    app = undefined;
  });
});

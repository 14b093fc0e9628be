import { setTimeout as sleep } from 'node:timers/promises';
import { OAuthToken, RedisRefreshLock, TokenKey } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuthRefreshLockEntity, TypeOrmRefreshLock } from 'nest-dance/typeorm';
import {
  REDIS_URL,
  TestDatabase,
  openTestDatabase,
} from '../support/databases';
import {
  SecureApp,
  callbackFor,
  dance,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';
import { AdvToken, advStorage } from './support/token-table';

const ALICE: TokenKey = { provider: 'local', userId: 'alice' };

/** The answer of a refresh that takes long enough for a reconnect or a disconnect to land. */
const SLOW_REFRESH = {
  body: {
    access_token: 'from-the-old-refresh-at',
    refresh_token: 'from-the-old-refresh-rt',
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'from-the-old-refresh',
  },
  delayMs: 1200,
};

/** Makes `app`'s stored token of alice expired, so her next read refreshes it. */
async function expireAlice(app: SecureApp): Promise<void> {
  const token = (await app.storage.get(ALICE)) as OAuthToken;
  await app.storage.set(ALICE, {
    ...token,
    expires_at: Math.floor(Date.now() / 1000) - 10,
  });
}

const connectionOf = async (browser: ReturnType<SecureApp['browser']>) =>
  (await browser.get('/me/connection').expect(200)).body as {
    connected: boolean;
    scope: string | null;
  };
const accountOf = async (browser: ReturnType<SecureApp['browser']>) =>
  (await browser.get('/me/provider-account').expect(200)).body.body
    .sub as string;

/**
 * A refresh in flight never undoes a newer write: a reconnect (a new dance, maybe another
 * provider account) or a disconnect that lands while the token endpoint is still answering the
 * refresh stays as it was written, in one process and across processes (Redis and database
 * locks, one PostgreSQL table), against the real LocalAuthorizationServer with a slow scripted
 * refresh answer.
 */
describe('Adversarial: a refresh in flight never overwrites a newer write', () => {
  let server: LocalAuthorizationServer;
  let postgres: TestDatabase;
  const apps: SecureApp[] = [];

  beforeAll(async () => {
    [server, postgres] = await Promise.all([
      LocalAuthorizationServer.start(),
      openTestDatabase('postgres', 'nd_adv_races', [
        AdvToken,
        OAuthRefreshLockEntity,
      ]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), postgres?.close()]);
  });
  beforeEach(async () => {
    await server.clearScriptedTokenResponses();
    await postgres.dataSource.getRepository(AdvToken).clear();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const start = async (options: Parameters<typeof startSecureApp>[1] = {}) => {
    const app = await startSecureApp(server, options);
    apps.push(app);
    return app;
  };

  /** Starts alice's refresh through `browser` and waits until the token request is out. */
  async function refreshInFlight(browser: ReturnType<SecureApp['browser']>) {
    await server.scriptTokenResponse(SLOW_REFRESH);
    const pending = connectionOf(browser);
    await sleep(300);
    // Boxed: an async function returning a promise would wait for it.
    return { done: pending };
  }

  describe('in one process', () => {
    it('issue 13 #3: a reconnect (new dance, another account) during a refresh is what stays stored', async () => {
      const app = await start();
      const alice = app.browser();
      await signIn(alice, 'alice');
      await dance(alice, server, { user: 'alice-first' });
      await expireAlice(app);
      // The provider's side of the new dance first: its callback then lands mid-refresh.
      const callback = await callbackFor(alice, server, {
        user: 'alice-second',
      });
      const refreshing = await refreshInFlight(alice);
      await alice.get(pathOf(callback)).expect(302);
      // The request that started the refresh still gets the refreshed (old) token.
      expect((await refreshing.done).scope).toBe('from-the-old-refresh');
      expect(await accountOf(alice)).toBe('alice-second');
      expect((await connectionOf(alice)).scope).not.toBe(
        'from-the-old-refresh',
      );
    });

    it('issue 13 #3: a disconnect during a refresh stays a disconnect', async () => {
      const app = await start();
      const alice = app.browser();
      await signIn(alice, 'alice');
      await dance(alice, server, { user: 'alice-first' });
      await expireAlice(app);
      const refreshing = await refreshInFlight(alice);
      await alice.post('/me/disconnect').expect(201);
      await refreshing.done;
      expect(await connectionOf(alice)).toEqual({
        connected: false,
        scope: null,
      });
      expect(await app.storage.get(ALICE)).toBeNull();
    });

    it('issue 13 #3: setToken() from the refreshFailed hook does not wait for the lock it runs under', async () => {
      let hookWrote = false;
      const app = await start({
        hooks: {
          refreshFailed: async ({ blueprint }) => {
            await blueprint.setToken(
              { access_token: 'written-by-the-hook', scope: 'hook' },
              { userId: 'alice' },
            );
            hookWrote = true;
          },
        },
        refresh: { lockWaitMs: 2000 },
      });
      const alice = app.browser();
      await signIn(alice, 'alice');
      await dance(alice, server, { user: 'alice-first' });
      await expireAlice(app);
      await server.scriptTokenResponse({ status: 503, body: 'down' });
      const started = Date.now();
      await alice.get('/me/connection');
      expect(Date.now() - started).toBeLessThan(1500);
      expect(hookWrote).toBe(true);
      expect((await app.storage.get(ALICE))?.access_token).toBe(
        'written-by-the-hook',
      );
    });
  });

  describe.each([
    [
      'RedisRefreshLock',
      () => RedisRefreshLock.forUrl(REDIS_URL, `nd-adv-races-${process.pid}:`),
    ],
    [
      'TypeOrmRefreshLock (PostgreSQL)',
      () => ({
        useFactory: () => new TypeOrmRefreshLock(postgres.dataSource),
      }),
    ],
  ])('across two processes sharing PostgreSQL, with %s', (_name, lockOf) => {
    /** Two apps on one table and one lock: alice connected through the second. */
    async function twoProcesses() {
      const options = {
        storage: advStorage(postgres.dataSource),
        refreshLock: lockOf(),
      };
      const first = await start(options);
      // The second registers its callback last, so dances run through it.
      const second = await start(options);
      const aliceOnFirst = first.browser();
      const aliceOnSecond = second.browser();
      await signIn(aliceOnFirst, 'alice');
      await signIn(aliceOnSecond, 'alice');
      await dance(aliceOnSecond, server, { user: 'alice-first' });
      await expireAlice(first);
      return { aliceOnFirst, aliceOnSecond };
    }

    it('issue 13 #3: a reconnect on one process during a refresh on the other is what stays stored', async () => {
      const { aliceOnFirst, aliceOnSecond } = await twoProcesses();
      const callback = await callbackFor(aliceOnSecond, server, {
        user: 'alice-second',
      });
      const refreshing = await refreshInFlight(aliceOnFirst);
      await aliceOnSecond.get(pathOf(callback)).expect(302);
      await refreshing.done;
      expect(await accountOf(aliceOnFirst)).toBe('alice-second');
      expect(await accountOf(aliceOnSecond)).toBe('alice-second');
    });

    it('issue 13 #3: a disconnect on one process during a refresh on the other stays a disconnect', async () => {
      const { aliceOnFirst, aliceOnSecond } = await twoProcesses();
      const refreshing = await refreshInFlight(aliceOnFirst);
      await aliceOnSecond.post('/me/disconnect').expect(201);
      await refreshing.done;
      expect((await connectionOf(aliceOnFirst)).connected).toBe(false);
      expect((await connectionOf(aliceOnSecond)).connected).toBe(false);
    });
  });
});

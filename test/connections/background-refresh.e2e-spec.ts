import { setTimeout as sleep } from 'node:timers/promises';
import {
  BackgroundRefresh,
  ConnectionEvent,
  OAuthConnections,
  SessionTokenStorage,
  TokenListingUnsupportedError,
  TokenRefresher,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DanceApp,
  DanceAppOptions,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';

/**
 * TokenRefresher.refreshDue and the opt-in background interval, in one process, against the
 * real LocalAuthorizationServer (rotating refresh tokens, so a double refresh would kill the
 * grant).
 */
describe('Background refresh', () => {
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;
  let events: ConnectionEvent[];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({
      rotateRefreshTokens: true,
    });
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    events = [];
    await server.resetStats();
    await server.clearScriptedTokenResponses();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const refreshes = async () =>
    (await server.stats()).tokenRequests.refresh_token;

  /** Connects `users` through the dance, then makes their tokens expire in `inSeconds`. */
  async function connected(
    users: string[],
    inSeconds: number,
    options: DanceAppOptions = {},
  ) {
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        localBlueprint(server, {
          profile: (info) => ({ id: String(info.sub), raw: info }),
        }),
      ],
      hooks: { connection: (event) => void events.push(event) },
      ...options,
    });
    for (const user of users) {
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: user }).expect(201);
      await walkDance(browser, server, { user });
      const key = { provider: 'local', userId: user };
      const token = (await app.storage.get(key))!;
      await app.storage.set(key, {
        ...token,
        expires_at: Math.floor(Date.now() / 1000) + inSeconds,
      });
    }
    await server.resetStats();
    return app;
  }

  it('refreshDue refreshes every token expiring within the window, once, and leaves the others', async () => {
    await connected(['alice', 'bob'], 120);
    const carol = { provider: 'local', userId: 'carol' };
    await app!.storage.set(carol, {
      access_token: 'carol-far',
      refresh_token: 'carol-rt',
      expires_at: Math.floor(Date.now() / 1000) + 7200,
    });
    const refresher = app!.app.get(TokenRefresher);
    const result = await refresher.refreshDue({ within: 300_000 });
    expect(result).toEqual({
      swept: true,
      refreshed: 2,
      alreadyFresh: 0,
      failed: 0,
      ignored: 0,
    });
    expect(await refreshes()).toBe(2);
    for (const user of ['alice', 'bob']) {
      const connection = await app!.app
        .get(OAuthConnections)
        .get('local', { userId: user });
      expect(connection!.status).toBe('active');
      expect(connection!.expiresAt!.getTime()).toBeGreaterThan(
        Date.now() + 3000_000,
      );
    }
    expect((await app!.storage.get(carol))!.access_token).toBe('carol-far');
    // Nothing is due any more: a second sweep refreshes nothing.
    expect((await refresher.refreshDue({ within: 300_000 })).refreshed).toBe(0);
    expect(await refreshes()).toBe(2);
    expect(events.filter((e) => e.type === 'refreshed')).toHaveLength(2);
    // The rotated tokens work: the provider did not see a refresh token twice.
    const profile = await app!
      .blueprint()
      .fetchJson('/api/user', { userId: 'alice' });
    expect(profile).toMatchObject({ sub: 'alice' });
  });

  it('concurrent sweeps in one process: one sweeps, the other says it did not', async () => {
    await connected(['alice'], 120);
    const refresher = app!.app.get(TokenRefresher);
    const [first, second] = await Promise.all([
      refresher.refreshDue(),
      refresher.refreshDue(),
    ]);
    expect([first.swept, second.swept].sort()).toEqual([false, true]);
    expect(await refreshes()).toBe(1);
  });

  it('dead grants and failures waiting for their retry are left alone, and limit bounds a sweep', async () => {
    await connected(['alice', 'bob', 'carol'], 120);
    const dead = { provider: 'local', userId: 'dave' };
    await app!.storage.set(dead, {
      access_token: 'dead',
      refresh_token: 'dead-rt',
      expires_at: 1,
      nest_dance_reconnect: true,
    });
    // A failure another process recorded: left alone until its retry time.
    const failing = { provider: 'local', userId: 'erin' };
    await app!.storage.set(failing, {
      access_token: 'failing',
      refresh_token: 'failing-rt',
      expires_at: Math.floor(Date.now() / 1000) + 60,
      nest_dance_connection: {
        refreshFailing: {
          kind: 'unavailable',
          since: Date.now(),
          retryAt: Date.now() + 60_000,
        },
      },
    });
    const refresher = app!.app.get(TokenRefresher);
    const first = await refresher.refreshDue({ limit: 2 });
    expect(first).toMatchObject({ refreshed: 2, ignored: 2 });
    const second = await refresher.refreshDue({ limit: 2 });
    expect(second).toMatchObject({ refreshed: 1, ignored: 2, failed: 0 });
    expect(await refreshes()).toBe(3);
  });

  it('the interval refreshes idle tokens by itself and stops on shutdown', async () => {
    await connected(['alice'], 30, {
      refresh: { background: { every: 100, within: 60_000 } },
    });
    const background = app!.app.get(BackgroundRefresh);
    expect(background.active).toBe(true);
    const key = { provider: 'local', userId: 'alice' };
    const renewed = async () =>
      Number((await app!.storage.get(key))?.expires_at) >
      Date.now() / 1000 + 3000;
    // The server counts the refresh when it answers; the new token is stored a moment later.
    const deadline = Date.now() + 10_000;
    while (!(await renewed()) && Date.now() < deadline) await sleep(50);
    expect(await renewed()).toBe(true);
    expect(await refreshes()).toBe(1);
    await app!.close();
    app = undefined;
    expect(background.active).toBe(false);
  });

  it('refuses to start with a storage that cannot list expiring tokens, naming the method', async () => {
    await expect(
      connected([], 0, {
        storage: SessionTokenStorage,
        refresh: { background: { every: 1000 } },
      }),
    ).rejects.toThrow(TokenListingUnsupportedError);
    await expect(
      connected([], 0, {
        storage: SessionTokenStorage,
        refresh: { background: { every: 1000 } },
      }),
    ).rejects.toThrow(
      /SessionTokenStorage does not implement TokenStorage\.listExpiring/,
    );
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { RedisRefreshLock, SessionTokenStorage } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { createClient } from 'redis';
import { localBlueprint } from '../support/dance-app';
import { REDIS_URL } from '../support/databases';
import { RecordingProxy } from './support/recording-proxy';
import { SecureApp, dance, startSecureApp } from './support/secure-app';
import { TEST_PLATFORMS } from '../support/platform-app';

/** A token the dance stores: expired a second later, so the next read refreshes it. */
const shortLived = (label: string) => ({
  access_token: `${label}-at`,
  refresh_token: `${label}-rt`,
  token_type: 'Bearer',
  expires_in: 1,
  scope: `${label}-first`,
});

/** A slow refresh answer, so concurrent refreshes overlap. */
const slowRefresh = (label: string) => ({
  body: {
    access_token: `${label}-at`,
    refresh_token: `${label}-rt`,
    token_type: 'Bearer',
    expires_in: 3600,
    scope: label,
  },
  delayMs: 600,
});

/**
 * Refreshes are merged (single flight, backoff, lock) per stored token: with the default
 * SessionTokenStorage and no user, every visitor's token lives in their own session under the
 * same key, and two visitors refreshing at once must each get their own.
 */
const suite =
  'Adversarial: refreshes are merged per stored token, not per key on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let proxy: RecordingProxy;
  let app: SecureApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    proxy = await RecordingProxy.start(server.endpoints.token);
  });
  afterAll(async () => {
    await proxy.close();
    await server.stop();
  });
  beforeEach(async () => {
    await server.clearScriptedTokenResponses();
    proxy.requests.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = (extra: Parameters<typeof startSecureApp>[1] = {}) =>
    startSecureApp(server, {
      platform,
      storage: SessionTokenStorage,
      blueprints: [localBlueprint(server, { tokenUrl: proxy.url })],
      ...extra,
    });
  const scopeOf = async (browser: ReturnType<SecureApp['browser']>) =>
    (await browser.get('/me/connection').expect(200)).body.scope as string;
  const refreshTokensSent = () =>
    proxy.requests
      .filter((r) => r.form.get('grant_type') === 'refresh_token')
      .map((r) => r.form.get('refresh_token'));

  /** An anonymous visitor who connected `local` with a token that is due at once. */
  async function visitor(label: string) {
    const browser = app!.browser();
    await server.scriptTokenResponse({ body: shortLived(label) });
    expect((await dance(browser, server, { user: label })).status).toBe(302);
    return browser;
  }

  it.each(['express-session', 'cookie-session'] as const)(
    "issue 13 #1: two anonymous visitors (SessionTokenStorage over %s) refreshing at once each get their own token, never the other's",
    async (session) => {
      app = await start({ session });
      const alice = await visitor('alice');
      const bob = await visitor('bob');
      await sleep(1100);
      await server.scriptTokenResponse(slowRefresh('refreshed-1'));
      await server.scriptTokenResponse(slowRefresh('refreshed-2'));
      const [aliceScope, bobScope] = await Promise.all([
        scopeOf(alice),
        scopeOf(bob),
      ]);
      // Each refreshed with their own refresh token, and got their own answer.
      expect(refreshTokensSent().sort()).toEqual(['alice-rt', 'bob-rt']);
      expect(new Set([aliceScope, bobScope])).toEqual(
        new Set(['refreshed-1', 'refreshed-2']),
      );
      // What each was handed is what their own session now holds.
      expect(await scopeOf(alice)).toBe(aliceScope);
      expect(await scopeOf(bob)).toBe(bobScope);
      expect(refreshTokensSent()).toHaveLength(2);
    },
  );

  it('issue 13 #1: concurrent requests of one session still share one refresh', async () => {
    app = await start();
    const carol = await visitor('carol');
    await sleep(1100);
    await server.scriptTokenResponse(slowRefresh('carol-new'));
    const scopes = await Promise.all([
      scopeOf(carol),
      scopeOf(carol),
      scopeOf(carol),
    ]);
    expect(scopes).toEqual(['carol-new', 'carol-new', 'carol-new']);
    expect(refreshTokensSent()).toEqual(['carol-rt']);
  });

  it('issue 13 #1: across processes (Redis lock) each session takes its own lock, named without the session id', async () => {
    const prefix = `nd-adv-identity-${process.pid}-${Date.now()}:`;
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      app = await start({
        refreshLock: RedisRefreshLock.forUrl(REDIS_URL, prefix),
      });
      const alice = await visitor('alice');
      const bob = await visitor('bob');
      await sleep(1100);
      await server.scriptTokenResponse(slowRefresh('refreshed-1'));
      await server.scriptTokenResponse(slowRefresh('refreshed-2'));
      const pending = Promise.all([scopeOf(alice), scopeOf(bob)]);
      // Both refreshes hold their lock while the token endpoint takes its time.
      let held: string[] = [];
      for (let i = 0; i < 50 && held.length < 2; i++) {
        await sleep(20);
        held = await redis.keys(`${prefix}*`);
      }
      const scopes = await pending;
      expect(held).toHaveLength(2);
      const sessionIds = await new Promise<string[]>((resolve, reject) =>
        app!.sessionStore!.all((error, all) =>
          error ? reject(error) : resolve(Object.keys(all ?? {})),
        ),
      );
      expect(sessionIds).toHaveLength(2);
      for (const id of sessionIds) expect(held.join('\n')).not.toContain(id);
      expect(new Set(scopes)).toEqual(new Set(['refreshed-1', 'refreshed-2']));
      expect(refreshTokensSent().sort()).toEqual(['alice-rt', 'bob-rt']);
    } finally {
      await redis.quit();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DemoProcess,
  startDemoProcess,
} from '../../apps/demo/src/demo.process';
import { CookieAgent } from '../support/cookie-agent';
import { deleteRedisKeys, dropDemoTables } from '../support/demo-cleanup';
import { ensureDemoBuilt } from '../support/demo-build';
import { freePort } from '../support/free-port';

const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const LOCK_TTL_MS = 4000;
/** The lock must outlive a token request (checked at start-up). */
const TOKEN_TIMEOUT_MS = 3500;

/**
 * Refresh across separate processes of the built demo, sharing PostgreSQL (tokens) and
 * either Redis (cache, sessions, RedisRefreshLock) or nothing else (TypeOrmRefreshLock,
 * per-process memory caches and sessions), against one authorization server that rotates
 * refresh tokens and revokes the whole grant when a used one comes back.
 */
describe.each([
  ['Redis lock', 'redis'],
  ['database lock, no Redis', 'database'],
] as const)('Refresh across three demo processes (%s)', (_label, lock) => {
  const run = `${lock}_${process.pid}_${Date.now().toString(36)}`;
  const tablePrefix = `nd_rp_${run}_`.slice(0, 30);
  const redisPrefix = `nd-rp-${run}:`;
  let server: LocalAuthorizationServer;
  let demos: DemoProcess[] = [];
  /** One browser per process: without Redis each process has its own sessions. */
  let agents: CookieAgent[] = [];

  async function startOne(): Promise<DemoProcess> {
    const port = await freePort();
    return startDemoProcess({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: POSTGRES_URL,
      DATABASE_TABLE_PREFIX: tablePrefix,
      ...(lock === 'redis' ? { REDIS_URL, REDIS_PREFIX: redisPrefix } : {}),
      REFRESH_LOCK: lock,
      REFRESH_LOCK_TTL_MS: String(LOCK_TTL_MS),
      TOKEN_ENDPOINT_TIMEOUT_MS: String(TOKEN_TIMEOUT_MS),
      SESSION_SECRET: 'shared-session-secret-for-every-process',
      LOCAL_AUTH_SERVER: server.issuer,
    });
  }

  const refreshRequests = async () =>
    (await server.stats()).tokenRequests.refresh_token;
  const profileFrom = (index: number) =>
    agents[index].request(`${demos[index].url}/api/local/profile`);

  beforeAll(async () => {
    await ensureDemoBuilt();
    server = await LocalAuthorizationServer.start({
      rotateRefreshTokens: true,
    });
    demos = [
      await startOne(),
      ...(await Promise.all([startOne(), startOne()])),
    ];
    agents = demos.map(() => new CookieAgent());
    await Promise.all(
      demos.map((demo, i) => agents[i].signIn(demo.url, 'alice')),
    );
    // Alice connects once, on the first process; the token lands in PostgreSQL.
    const login = await agents[0].request(`${demos[0].url}/login/local`);
    const callback = await server.completeAuthorization(
      login.headers.get('location')!,
      { user: 'alice' },
    );
    expect((await agents[0].request(callback)).status).toBe(302);
    for (let i = 0; i < demos.length; i++)
      expect((await profileFrom(i)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(demos.map((demo) => demo.stop()));
    await server?.stop();
    await dropDemoTables(POSTGRES_URL, tablePrefix);
    if (lock === 'redis') await deleteRedisKeys(REDIS_URL, redisPrefix);
  });

  beforeEach(async () => {
    await server.clearScriptedTokenResponses();
    await server.resetStats();
  });

  it('30 concurrent requests over three processes on a dead token: exactly one refresh, all succeed', async () => {
    await server.expireAccessTokens();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => profileFrom(i % demos.length)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200));
    const bodies = (await Promise.all(
      responses.map((r) => r.json()),
    )) as Array<{ sub: string }>;
    expect(new Set(bodies.map((b) => b.sub))).toEqual(new Set(['alice']));
    expect(await refreshRequests()).toBe(1);
    // The rotated refresh token was stored: the next forced refresh works too.
    await server.expireAccessTokens();
    expect((await profileFrom(2)).status).toBe(200);
    expect(await refreshRequests()).toBe(2);
  });

  it('a refresher killed while holding the lock: the lock expires, the next request refreshes, nothing deadlocks', async () => {
    const victim = await startOne();
    const victimAgent = new CookieAgent();
    await victimAgent.signIn(victim.url, 'alice');
    await server.expireAccessTokens();
    // The victim's refresh reaches the provider, which holds the answer back; then it dies.
    await server.scriptTokenResponse({
      delayMs: 20_000,
      body: { error: 'never_sent' },
      status: 500,
    });
    const hanging = victimAgent
      .request(`${victim.url}/api/local/profile`)
      .catch(() => null);
    for (
      let i = 0;
      i < 100 && (await server.stats()).pendingScriptedResponses > 0;
      i++
    )
      await sleep(50);
    expect((await server.stats()).pendingScriptedResponses).toBe(0);
    process.kill(victim.pid, 'SIGKILL');
    await hanging;
    await victim.stop();

    const started = Date.now();
    const response = await profileFrom(1);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { sub: string }).sub).toBe('alice');
    expect(Date.now() - started).toBeLessThan(LOCK_TTL_MS + 8000);
    expect(await refreshRequests()).toBe(2); // the victim's, answered by nobody, and the survivor's
    expect((await profileFrom(0)).status).toBe(200);
    expect((await profileFrom(2)).status).toBe(200);
    expect(await refreshRequests()).toBe(2);
  });
});

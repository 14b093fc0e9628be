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
const run = `${process.pid}_${Date.now().toString(36)}`;
const tablePrefix = `nd_procs_${run}_`;
const redisPrefix = `nd-procs-${run}:`;

describe('The built demo as several processes sharing PostgreSQL, Redis and one authorization server', () => {
  let server: LocalAuthorizationServer;
  const processes: DemoProcess[] = [];

  async function startOne(): Promise<DemoProcess> {
    const port = await freePort();
    const demo = await startDemoProcess({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: POSTGRES_URL,
      DATABASE_TABLE_PREFIX: tablePrefix,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      SESSION_SECRET: 'shared-session-secret-for-every-process',
      LOCAL_AUTH_SERVER: server.issuer,
    });
    processes.push(demo);
    return demo;
  }

  beforeAll(async () => {
    // What `npm start` runs: the Nest CLI build, with path aliases rewritten and the
    // LocalAuthorizationServer child script copied.
    await ensureDemoBuilt();
    server = await LocalAuthorizationServer.start();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((demo) => demo.stop()));
    await server?.stop();
    await dropDemoTables(POSTGRES_URL, tablePrefix);
    await deleteRedisKeys(REDIS_URL, redisPrefix);
  });

  it('starts two processes at once (tables created under a lock); a dance on one is seen by the other', async () => {
    const [a, b] = await Promise.all([startOne(), startOne()]);
    expect(a.pid).not.toBe(b.pid);
    expect(a.localIssuer).toBe(server.issuer);

    const carol = new CookieAgent();
    expect(
      await carol.json(`${a.url}/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=carol',
      }),
    ).toMatchObject({ name: 'carol' });

    // The dance on process a.
    const login = await carol.request(`${a.url}/login/local?next=/`);
    expect(login.status).toBe(302);
    const callback = new URL(
      await server.completeAuthorization(login.headers.get('location')!, {
        user: 'carol',
      }),
    );
    expect(`${callback.origin}${callback.pathname}`).toBe(
      `${a.url}/login/local/authorized`,
    );
    const back = await carol.request(callback.href);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/');

    // Process b knows carol's session (Redis) and her token (PostgreSQL).
    expect(await carol.json(`${b.url}/api/connections`)).toEqual([
      expect.objectContaining({
        provider: 'local',
        connected: true,
        scope: 'openid profile email offline_access',
      }),
    ]);
    expect(await carol.json(`${b.url}/api/local/profile`)).toMatchObject({
      sub: 'carol',
    });

    // Disconnecting on b is seen by a at once (the shared cache was invalidated).
    expect(
      await carol.json(`${b.url}/api/local/disconnect`, { method: 'POST' }),
    ).toEqual({ provider: 'local', connected: false, revoked: true });
    expect(await carol.json(`${a.url}/api/connections`)).toEqual([
      expect.objectContaining({ provider: 'local', connected: false }),
    ]);
    const stranger = new CookieAgent();
    expect((await stranger.request(`${a.url}/api/connections`)).status).toBe(
      401,
    );
  });

  it('refuses to start with an invalid environment and says which variable to fix', async () => {
    const started = startDemoProcess({
      DATABASE_URL: 'mongodb://127.0.0.1/demo',
      LOCAL_AUTH_SERVER: 'off',
    });
    await expect(started).rejects.toThrow(
      /exited \(code 1\) before it was ready:[\s\S]*DATABASE_URL must start with sqlite:/,
    );
  });
});

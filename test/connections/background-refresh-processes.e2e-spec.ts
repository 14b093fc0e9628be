import { setTimeout as sleep } from 'node:timers/promises';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { ownerKeyOf } from 'nest-dance/typeorm';
import { DataSource } from 'typeorm';
import {
  DemoProcess,
  startDemoProcess,
} from '../../apps/demo/src/demo.process';
import { DemoToken } from '../../apps/demo/src/demo-token.entity';
import { dropDemoTables } from '../support/demo-cleanup';
import { ensureDemoBuilt } from '../support/demo-build';
import { freePort } from '../support/free-port';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const TOKENS = 1000;

/**
 * The background refresh across three processes of the built demo sharing PostgreSQL (tokens
 * and TypeOrmRefreshLock), each sweeping every 200 ms: 1,000 due tokens are each refreshed
 * exactly once, counted by the LocalAuthorizationServer's token endpoint.
 */
describe('Background refresh over three demo processes on PostgreSQL', () => {
  const run = `bg_${process.pid}_${Date.now().toString(36)}`;
  const tablePrefix = `nd_${run}_`.slice(0, 30);
  let server: LocalAuthorizationServer;
  let demos: DemoProcess[] = [];
  let dataSource: DataSource;

  async function startOne(): Promise<DemoProcess> {
    const port = await freePort();
    return startDemoProcess({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: POSTGRES_URL,
      DATABASE_TABLE_PREFIX: tablePrefix,
      REFRESH_LOCK: 'database',
      REFRESH_BACKGROUND_EVERY_MS: '200',
      REFRESH_BACKGROUND_WITHIN_MS: '600000',
      SESSION_SECRET: 'shared-session-secret-for-every-process',
      LOCAL_AUTH_SERVER: server.issuer,
    });
  }

  beforeAll(async () => {
    await ensureDemoBuilt();
    server = await LocalAuthorizationServer.start();
    demos = [
      await startOne(),
      ...(await Promise.all([startOne(), startOne()])),
    ];
    dataSource = await new DataSource({
      type: 'postgres',
      url: POSTGRES_URL,
      entities: [DemoToken],
      entityPrefix: tablePrefix,
    }).initialize();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(demos.map((demo) => demo.stop()));
    await dataSource?.destroy();
    await server?.stop();
    await dropDemoTables(POSTGRES_URL, tablePrefix);
  });

  it('1,000 due tokens, three processes sweeping at once: each token refreshed exactly once', async () => {
    // Every refresh gets this answer (no refresh token: each row keeps its own).
    await server.scriptTokenResponse({
      body: {
        access_token: 'refreshed-by-the-sweep',
        token_type: 'Bearer',
        expires_in: 3600,
      },
      times: TOKENS * 2,
    });
    await server.resetStats();
    const soon = Math.floor(Date.now() / 1000) + 120;
    const rows = Array.from({ length: TOKENS }, (_, i) => {
      const key = { provider: 'local', userId: `user-${i}` };
      return {
        provider: key.provider,
        userId: key.userId,
        providerUserId: null,
        ownerKey: ownerKeyOf(key),
        // Spread over a few seconds, some sharing an expiry, as real tokens do.
        token: {
          access_token: `at-${i}`,
          refresh_token: `rt-${i}`,
          token_type: 'Bearer',
          expires_in: 3600,
          expires_at: soon + (i % 7),
        },
        expiresAt: soon + (i % 7),
      };
    });
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += 200)
        await manager.insert(DemoToken, rows.slice(i, i + 200));
    });

    const repository = dataSource.getRepository(DemoToken);
    const stillDue = () =>
      repository
        .createQueryBuilder('t')
        .where('t.expiresAt < :before', { before: soon + 600 })
        .getCount();
    const deadline = Date.now() + 150_000;
    while ((await stillDue()) > 0 && Date.now() < deadline) await sleep(250);
    expect(await stillDue()).toBe(0);
    // A few more sweeps of every process: nothing is due, nothing more is refreshed.
    await sleep(1500);

    expect((await server.stats()).tokenRequests.refresh_token).toBe(TOKENS);
    const stored = await repository.find();
    expect(stored).toHaveLength(TOKENS);
    for (const row of stored) {
      const token =
        typeof row.token === 'string' ? JSON.parse(row.token) : row.token;
      expect(token.access_token).toBe('refreshed-by-the-sweep');
      expect(token.refresh_token).toBe(`rt-${row.userId!.slice(5)}`);
      expect(row.expiresAt).toBeGreaterThan(soon + 3000);
    }
    for (const demo of demos) expect(demo.output()).not.toMatch(/rt-\d+/);
  }, 200_000);
});

import { LocalAuthorizationServer } from 'nest-dance/testing';
import { DemoProcess, startDemoProcess } from '../apps/demo/src/demo.process';
import { freePort } from '../test/support/free-port';
import {
  POSTGRES_URL,
  REDIS_PREFIX,
  REDIS_URL,
  TABLE_PREFIX,
} from './bench-env';
import { CookieJar } from './cookie-jar';
import { RunOptions, ScenarioReport, formatMs } from './scenario';
import { ensureDemoBuilt } from './services';
import { median, percentile } from './stats';

const PROCESSES = 4;
const REQUESTS = 1000;
const MAX_ROUNDS = 3;

/**
 * Scenario 3: 1,000 concurrent `GET /api/local/profile` over four built demo processes
 * (PostgreSQL tokens, Redis cache, sessions and refresh lock) after the authorization server
 * expired the access token: the provider answers 401 until someone refreshes.
 */
export async function stampedeScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const entry = ensureDemoBuilt();
  const rounds = Math.min(options.rounds, MAX_ROUNDS);
  const report: ScenarioReport = {
    id: 'stampede',
    title: '3. Refresh stampede',
    method:
      `${REQUESTS.toLocaleString('en-US')} concurrent requests to \`GET /api/local/profile\` (the provider's ` +
      `userinfo through \`blueprint.fetch()\`), spread over ${PROCESSES} processes of the built demo ` +
      '(`startDemoProcess`: TypeORM on PostgreSQL, Redis cache, sessions and `RedisRefreshLock`), for one ' +
      'signed-in user whose access token the shared `LocalAuthorizationServer` (rotating refresh tokens) ' +
      'has just expired (`server.expireAccessTokens()`): every process learns it from a 401. ' +
      `${rounds} rounds, each after the same burst on the live token (the baseline: the provider's ` +
      'userinfo answers once per request instead of twice, nothing to refresh); refreshes are counted ' +
      'by the authorization server. Targets: exactly 1 refresh request per dead-token burst, 0 failed requests.',
    table: {
      headers: [
        'round',
        'refresh requests at the server',
        'failed requests',
        'p50',
        'p99',
        'max',
        'all done in',
      ],
      rows: [],
    },
    ratios: [],
    targets: [],
    profiles: [],
    numbers: {},
  };
  const server = await LocalAuthorizationServer.start({
    rotateRefreshTokens: true,
  });
  const demos: DemoProcess[] = [];
  try {
    const startOne = async () => {
      const port = await freePort();
      return startDemoProcess(
        {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: POSTGRES_URL,
          DATABASE_TABLE_PREFIX: TABLE_PREFIX,
          REDIS_URL,
          REDIS_PREFIX: `${REDIS_PREFIX}demo:`,
          REFRESH_LOCK: 'redis',
          SESSION_SECRET: 'bench-session-secret-shared-by-every-process',
          LOCAL_AUTH_SERVER: server.issuer,
        },
        { entry, timeoutMs: 60_000 },
      );
    };
    demos.push(await startOne()); // creates the tables
    demos.push(
      ...(await Promise.all(Array.from({ length: PROCESSES - 1 }, startOne))),
    );

    // Alice signs in and connects once; Redis shares her session with every process.
    const browser = new CookieJar();
    await browser.fetch(`${demos[0].url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=alice',
    });
    const login = await browser.fetch(`${demos[0].url}/login/local`);
    const callback = await server.completeAuthorization(
      login.headers.get('location')!,
      { user: 'alice' },
    );
    if ((await browser.fetch(callback)).status !== 302)
      throw new Error('stampede: the dance failed');
    const profile = (i: number) =>
      fetch(`${demos[i % PROCESSES].url}/api/local/profile`, {
        headers: { cookie: browser.header },
      });
    for (let i = 0; i < PROCESSES; i++)
      if ((await profile(i)).status !== 200)
        throw new Error(`stampede: process ${i} cannot read the profile`);

    /** 1,000 concurrent requests; latencies, failures and wall time. */
    const burst = async () => {
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: REQUESTS }, async (_, i) => {
          const t0 = performance.now();
          try {
            const response = await profile(i);
            await response.arrayBuffer();
            return { ok: response.status === 200, ms: performance.now() - t0 };
          } catch {
            return { ok: false, ms: performance.now() - t0 };
          }
        }),
      );
      const latencies = outcomes.map((o) => o.ms);
      return {
        failed: outcomes.filter((o) => !o.ok).length,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: Math.max(...latencies),
        wall: performance.now() - started,
      };
    };

    await burst(); // warm-up: connections, caches, JIT
    let allOne = true;
    let failedTotal = 0;
    const p99s: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const dead of [false, true]) {
        await server.resetStats();
        if (dead) await server.expireAccessTokens();
        const result = await burst();
        const refreshes = (await server.stats()).tokenRequests.refresh_token;
        failedTotal += result.failed;
        if (dead) {
          allOne &&= refreshes === 1;
          p99s.push(result.p99);
        } else if (refreshes !== 0) allOne = false;
        report.table.rows.push([
          `${round}, ${dead ? '**dead token**' : 'live token (baseline)'}`,
          String(refreshes),
          String(result.failed),
          formatMs(result.p50),
          formatMs(result.p99),
          formatMs(result.max),
          formatMs(result.wall),
        ]);
        const name = `round${round}.${dead ? 'dead' : 'live'}`;
        report.numbers[`${name}.refreshes`] = refreshes;
        report.numbers[`${name}.failed`] = result.failed;
        report.numbers[`${name}.p99`] = result.p99;
        report.numbers[`${name}.rps`] = REQUESTS / (result.wall / 1000);
      }
    }
    report.targets.push(
      {
        what: `refresh requests per round, ${REQUESTS} requests over ${PROCESSES} processes`,
        target: 'exactly 1',
        actual: report.table.rows
          .filter((r) => r[0].includes('dead'))
          .map((r) => r[1])
          .join(', '),
        met: allOne,
      },
      {
        what: 'failed requests',
        target: '0',
        actual: String(failedTotal),
        met: failedTotal === 0,
      },
      {
        what: 'p99 latency of the stampede (median of rounds)',
        target: '(reported)',
        actual: formatMs(median(p99s)),
        met: true,
      },
    );
  } finally {
    await Promise.all(demos.map((demo) => demo.stop()));
    await server.stop();
  }
  return report;
}

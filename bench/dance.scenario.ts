import { LocalAuthorizationServer } from 'nest-dance/testing';
import { freePort } from '../test/support/free-port';
import { USER_HEADER } from './bench-env';
import { BenchChild } from './child';
import { CookieJar } from './cookie-jar';
import { ProfileSummary, cpuProfileDir, summarizeProfileDir } from './profile';
import type { DanceTimings } from './dance.app';
import { BenchPlatform, PLATFORM_LABEL } from './platform';
import {
  RunOptions,
  ScenarioReport,
  TargetCheck,
  chosenVariants,
  formatMs,
  formatRate,
} from './scenario';
import { percentile } from './stats';

const WALKERS = 8;
const USERS_PER_WALKER = 50;

/** The platforms the dance app runs on, one row each (`--variants express,fastify`). */
const PLATFORMS: BenchPlatform[] = ['express', 'fastify'];

/** What the walkers saw on one platform, and what its app timed. */
interface DanceRun {
  /** Each completed login, from the login route to the callback's answer, in ms. */
  logins: number[];
  failed: number;
  /** The measured walk, in seconds. */
  elapsed: number;
  timings: DanceTimings;
  profile?: ProfileSummary;
}

/**
 * Scenario 4: walkers, each a browser, log in over and over (login route, the provider's
 * front channel driven by `server.completeAuthorization`, callback) against a nest-dance app
 * with TypeORM storage on PostgreSQL, which times its callbacks and their token requests; once
 * with the app on Express, once on Fastify, each against a provider of its own.
 */
export async function danceScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const seconds = Math.max(2, options.seconds * options.rounds);
  const platforms = chosenVariants(PLATFORMS, options);
  const report: ScenarioReport = {
    id: 'dance',
    title: '4. The dance',
    method:
      `${WALKERS} concurrent walkers, each a browser with its own cookies, log in for ${seconds} s: ` +
      '`GET /login/local` (state and PKCE in the server-side session), the `LocalAuthorizationServer` front ' +
      'channel (login and consent pages, driven by `server.completeAuthorization`), then the callback, ' +
      'which exchanges the code and stores the token with `TypeOrmTokenStorage` on PostgreSQL ' +
      `(${WALKERS * USERS_PER_WALKER} users per platform, upserts). The app runs on each platform in turn, ` +
      'against a provider of its own: Express (express-session, MemoryStore; the user set by a Nest ' +
      'middleware) and Fastify (`@nestjs/platform-fastify`, @fastify/cookie + @fastify/session, ' +
      'MemoryStore; the user set by an `onRequest` hook). The app times each callback from arrival to the ' +
      'end of its response (Express: a first middleware to `finish`; Fastify: a first `onRequest` hook to ' +
      "`onResponse`), and each token request through node's http diagnostics channels (to the end of the " +
      "answer). The library's share is everything in the callback except the token request.",
    table: {
      headers: [
        'platform',
        'logins/s',
        'failed',
        'login p50',
        'login p99',
        'callback p50',
        'callback p99',
        'token request p50',
        "nest-dance's share of callback time",
      ],
      rows: [],
    },
    ratios: [],
    targets: [],
    profiles: [],
    numbers: {},
  };
  for (const platform of platforms) {
    const run = await walkPlatform(platform, seconds, options.profile);
    addRun(report, platform, run);
  }
  return report;
}

/** Starts a provider and the dance app on `platform`, walks for `seconds`, then stops both. */
async function walkPlatform(
  platform: BenchPlatform,
  seconds: number,
  profiling: boolean,
): Promise<DanceRun> {
  const server = await LocalAuthorizationServer.start({
    rotateRefreshTokens: true,
  });
  let app: BenchChild<{ url: string }> | undefined;
  try {
    const port = await freePort();
    const clientId = `bench-dance-client-${platform}`;
    const clientSecret = 'bench-dance-secret';
    await server.registerClient({
      clientId,
      clientSecret,
      redirectUris: [`http://127.0.0.1:${port}/login/local/authorized`],
    });
    app = await BenchChild.start<{ url: string }>('dance.app', {
      platform,
      port,
      clientId,
      clientSecret,
      authorizationUrl: server.endpoints.authorization,
      tokenUrl: server.endpoints.token,
    });
    return await walk(server, app, platform, seconds, profiling);
  } finally {
    await app?.stop();
    await server.stop();
  }
}

/**
 * The walkers against a running app: a warm-up login each, the measured walk, then (when
 * profiling) a shorter walk under the CPU profiler.
 */
async function walk(
  server: LocalAuthorizationServer,
  app: BenchChild<{ url: string }>,
  platform: BenchPlatform,
  seconds: number,
  profiling: boolean,
): Promise<DanceRun> {
  const run: DanceRun = {
    logins: [],
    failed: 0,
    elapsed: 0,
    timings: { callbacks: [], tokenRequests: [] },
  };
  const login = async (browser: CookieJar, user: string) => {
    const t0 = performance.now();
    const headers = { [USER_HEADER]: user };
    try {
      const start = await browser.fetch(`${app.ready.url}/login/local`, {
        headers,
      });
      const callback = await server.completeAuthorization(
        start.headers.get('location')!,
        { user },
      );
      const done = await browser.fetch(callback, { headers });
      await done.arrayBuffer();
      if (done.status !== 302 || done.headers.get('location') !== '/')
        throw new Error(`callback answered ${done.status}`);
      run.logins.push(performance.now() - t0);
    } catch {
      run.failed++;
    }
  };
  const walkers = Array.from({ length: WALKERS }, () => new CookieJar());
  await Promise.all(
    walkers.map((browser, w) => login(browser, `${platform}-walker-${w}`)),
  ); // warm-up
  run.logins.length = 0;
  run.failed = 0;
  await app.request({}); // drops the warm-up's timings
  const walkFor = (seconds: number) => {
    const deadline = performance.now() + seconds * 1000;
    return Promise.all(
      walkers.map(async (browser, w) => {
        for (let i = 0; performance.now() < deadline; i++)
          await login(
            browser,
            `${platform}-walker-${w}-${i % USERS_PER_WALKER}`,
          );
      }),
    );
  };
  const started = performance.now();
  await walkFor(seconds);
  run.elapsed = (performance.now() - started) / 1000;
  run.timings = await app.request<DanceTimings>({});
  if (profiling) {
    // Where the app's CPU goes during callbacks and logins (after the measurement).
    const dir = cpuProfileDir();
    await app.profile(dir, () => walkFor(Math.min(3, seconds)));
    run.profile = summarizeProfileDir(dir);
  }
  return run;
}

/** Adds one platform's row, targets, profile and numbers to the report. */
function addRun(
  report: ScenarioReport,
  platform: BenchPlatform,
  { logins, failed, elapsed, timings, profile }: DanceRun,
): void {
  const label = PLATFORM_LABEL[platform];
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const callbackMs = sum(timings.callbacks);
  const tokenMs = sum(timings.tokenRequests);
  const libraryShare = callbackMs ? (callbackMs - tokenMs) / callbackMs : NaN;
  const rate = logins.length / elapsed;
  report.table.rows.push([
    label,
    formatRate(rate),
    String(failed),
    formatMs(percentile(logins, 50)),
    formatMs(percentile(logins, 99)),
    formatMs(percentile(timings.callbacks, 50)),
    formatMs(percentile(timings.callbacks, 99)),
    formatMs(percentile(timings.tokenRequests, 50)),
    `${(libraryShare * 100).toFixed(0)}% (${formatMs((callbackMs - tokenMs) / Math.max(1, timings.callbacks.length))} per callback)`,
  ]);
  const targets: TargetCheck[] = [
    {
      what: `completed logins per second, ${label}`,
      target: '(reported)',
      actual: formatRate(rate),
      met: failed === 0,
    },
    {
      what: `nest-dance's share of callback time (all but the token request), ${label}`,
      target: '(reported)',
      actual: `${(libraryShare * 100).toFixed(0)}%`,
      met: true,
    },
  ];
  report.targets.push(...targets);
  if (profile)
    report.profiles.push({
      label: `the dance app on ${label} while the walkers log in (after the measurement)`,
      summary: profile,
    });
  Object.assign(report.numbers, {
    [`${platform}.loginsPerSecond`]: rate,
    [`${platform}.failed`]: failed,
    [`${platform}.libraryShare`]: libraryShare,
    [`${platform}.callbacks`]: timings.callbacks.length,
  });
}

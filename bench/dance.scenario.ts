import { LocalAuthorizationServer } from 'nest-dance/testing';
import { freePort } from '../test/support/free-port';
import { USER_HEADER } from './bench-env';
import { BenchChild } from './child';
import { CookieJar } from './cookie-jar';
import { ProfileSummary, cpuProfileDir, summarizeProfileDir } from './profile';
import type { DanceTimings } from './dance.app';
import { RunOptions, ScenarioReport, formatMs, formatRate } from './scenario';
import { percentile } from './stats';

const WALKERS = 8;
const USERS_PER_WALKER = 50;

/**
 * Scenario 4: walkers, each a browser, log in over and over (login route, the provider's
 * front channel driven by `server.completeAuthorization`, callback) against a nest-dance app
 * with TypeORM storage on PostgreSQL, which times its callbacks and their token requests.
 */
export async function danceScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const seconds = Math.max(2, options.seconds * options.rounds);
  const server = await LocalAuthorizationServer.start({
    rotateRefreshTokens: true,
  });
  const port = await freePort();
  const clientId = 'bench-dance-client';
  const clientSecret = 'bench-dance-secret';
  await server.registerClient({
    clientId,
    clientSecret,
    redirectUris: [`http://127.0.0.1:${port}/login/local/authorized`],
  });
  const app = await BenchChild.start<{ url: string }>('dance.app', {
    port,
    clientId,
    clientSecret,
    authorizationUrl: server.endpoints.authorization,
    tokenUrl: server.endpoints.token,
  });
  const logins: number[] = [];
  let failed = 0;
  const walk = async (browser: CookieJar, user: string) => {
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
      logins.push(performance.now() - t0);
    } catch {
      failed++;
    }
  };
  let timings: DanceTimings;
  let elapsed: number;
  let profile: ProfileSummary | undefined;
  try {
    const walkers = Array.from({ length: WALKERS }, () => new CookieJar());
    await Promise.all(
      walkers.map((browser, w) => walk(browser, `walker-${w}`)),
    ); // warm-up
    logins.length = 0;
    failed = 0;
    await app.request({}); // drops the warm-up's timings
    const walkFor = (seconds: number) => {
      const deadline = performance.now() + seconds * 1000;
      return Promise.all(
        walkers.map(async (browser, w) => {
          for (let i = 0; performance.now() < deadline; i++)
            await walk(browser, `walker-${w}-${i % USERS_PER_WALKER}`);
        }),
      );
    };
    const started = performance.now();
    await walkFor(seconds);
    elapsed = (performance.now() - started) / 1000;
    timings = await app.request<DanceTimings>({});
    if (options.profile) {
      // Where the app's CPU goes during callbacks and logins (after the measurement).
      const dir = cpuProfileDir();
      await app.profile(dir, () => walkFor(Math.min(3, seconds)));
      profile = summarizeProfileDir(dir);
    }
  } finally {
    await app.stop();
    await server.stop();
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const callbackMs = sum(timings.callbacks);
  const tokenMs = sum(timings.tokenRequests);
  const libraryShare = callbackMs ? (callbackMs - tokenMs) / callbackMs : NaN;
  const rate = logins.length / elapsed;
  return {
    id: 'dance',
    title: '4. The dance',
    method:
      `${WALKERS} concurrent walkers, each a browser with its own cookies, log in for ${seconds} s: ` +
      '`GET /login/local` (state and PKCE in express-session), the `LocalAuthorizationServer` front ' +
      'channel (login and consent pages, driven by `server.completeAuthorization`), then the callback, ' +
      'which exchanges the code and stores the token with `TypeOrmTokenStorage` on PostgreSQL ' +
      `(${WALKERS * USERS_PER_WALKER} users, upserts). The app times each callback from arrival to the ` +
      "end of its response, and each token request through node's http diagnostics channels (to the end of the " +
      "answer). The library's share is everything in the callback except the token request.",
    table: {
      headers: [
        'logins/s',
        'failed',
        'login p50',
        'login p99',
        'callback p50',
        'callback p99',
        'token request p50',
        "nest-dance's share of callback time",
      ],
      rows: [
        [
          formatRate(rate),
          String(failed),
          formatMs(percentile(logins, 50)),
          formatMs(percentile(logins, 99)),
          formatMs(percentile(timings.callbacks, 50)),
          formatMs(percentile(timings.callbacks, 99)),
          formatMs(percentile(timings.tokenRequests, 50)),
          `${(libraryShare * 100).toFixed(0)}% (${formatMs((callbackMs - tokenMs) / Math.max(1, timings.callbacks.length))} per callback)`,
        ],
      ],
    },
    ratios: [],
    targets: [
      {
        what: 'completed logins per second',
        target: '(reported)',
        actual: formatRate(rate),
        met: failed === 0,
      },
      {
        what: "nest-dance's share of callback time (all but the token request)",
        target: '(reported)',
        actual: `${(libraryShare * 100).toFixed(0)}%`,
        met: true,
      },
    ],
    profiles: profile
      ? [
          {
            label:
              'the dance app while the walkers log in (after the measurement)',
            summary: profile,
          },
        ]
      : [],
    numbers: {
      loginsPerSecond: rate,
      failed,
      libraryShare,
      callbacks: timings.callbacks.length,
    },
  };
}

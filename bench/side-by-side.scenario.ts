import { freePort } from '../test/support/free-port';
import { USER_HEADER } from './bench-env';
import { BenchChild, ChildOptions } from './child';
import { Browser, login } from './login-browser';
import { nodeRelease } from './node-release';
import type { InstantProviderStats } from './instant-provider';
import type { LoadRequest, LoadResult } from './load-generator';
import { cpuProfileDir, summarizeProfileDir } from './profile';
import {
  RunOptions,
  ScenarioReport,
  chosenVariants,
  formatRate,
  formatRatio,
} from './scenario';
import type {
  NestDanceReferenceStorage,
  SideBySideAppArgs,
  SideBySideCommand,
} from './side-by-side.app';
import {
  Sample,
  interleave,
  interleaveWithControl,
  median,
  percentile,
} from './stats';

/** The parts of the scenario (`--variants dance,cpu,token,context,stampede`). */
const PARTS = ['dance', 'cpu', 'token', 'context', 'stampede'] as const;

/** The reference rows of the CPU per login: what each leaves out of nest-dance's storage. */
const REFERENCE_STORAGES: Array<[NestDanceReferenceStorage, string]> = [
  ['no-cache', 'without the Redis cache (TypeORM on PostgreSQL only)'],
  ['memory', 'with MemoryTokenStorage (no database, no cache)'],
];

const BROWSERS = 16;
const USERS_PER_BROWSER = 50;
const CONNECTIONS = 32;
const STAMPEDE = 200;
const TARGETS = {
  dance: 0.95,
  cpu: 1.1,
  token: 0.95,
};

type App = BenchChild<{ url: string }>;
interface Provider {
  child: BenchChild<{ authorizationUrl: string; tokenUrl: string }>;
  stats(reset?: boolean): Promise<InstantProviderStats>;
}

/**
 * nest-dance against the app a user writes by hand: @nestjs/passport with passport-oauth2
 * (`state`, `pkce`) and a TypeORM upsert in `validate()`, a Redis GET + JSON.parse cache in
 * front of `findOne`, a naive refresh. Both against the same instant provider (its own process)
 * and the same PostgreSQL and Redis, in interleaved rounds, with a second hand-written process
 * as the A/A control.
 */
export async function sideBySideScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const parts = chosenVariants(PARTS, options);
  const report: ScenarioReport = {
    id: 'side-by-side',
    title: 'nest-dance vs hand-written',
    method:
      'Two Nest apps with the same middleware (an auth middleware trusting a header, then ' +
      'express-session) against one instant OAuth 2.0 provider in a process of its own (it ' +
      'redirects straight back with a code, checks the PKCE verifier, and rotates refresh ' +
      "tokens: a used one is refused and ends the grant). **nest-dance**: the module's dance " +
      'routes, `TypeOrmTokenStorage` on PostgreSQL, the Redis cache (`cache: { redis: client }`). ' +
      '**hand-written**: `PassportStrategy(Strategy)` of passport-oauth2 with ' +
      '`state: true, pkce: true` behind `AuthGuard` on the login and callback routes, a TypeORM ' +
      '`upsert` in `validate()`, a node-redis `GET` + `JSON.parse` in front of `findOne`, a ' +
      'naive refresh (read, check expiry, refresh, save). **A/A**: a second hand-written ' +
      `process, measured the same way (the noise floor). ${options.rounds} interleaved rounds ` +
      `(ABBA) of ${options.seconds} s, medians; ratios are medians of per-round ratios. ` +
      `Logins: ${BROWSERS} cookie-jar browsers logging in over and over ` +
      `(${BROWSERS * USERS_PER_BROWSER} users); CPU per login: the app's own CPU time ` +
      '(`process.cpuUsage`) over a round at one fixed arrival rate, divided by the logins done. ' +
      `Token read and a route that reads nothing: autocannon, ${CONNECTIONS} connections. ` +
      `Refresh stampede: ${STAMPEDE} requests at once on an expired token.`,
    table: {
      headers: [
        'comparison',
        'hand-written',
        'nest-dance',
        'nest-dance / hand-written',
        'A/A control',
        'target',
      ],
      rows: [],
    },
    ratios: [],
    targets: [],
    profiles: [],
    numbers: {},
  };

  const providerChild = await BenchChild.start<{
    authorizationUrl: string;
    tokenUrl: string;
  }>('instant-provider', {});
  const provider: Provider = {
    child: providerChild,
    stats: (reset = false) =>
      providerChild.request<InstantProviderStats>({ reset }),
  };
  const apps: App[] = [];
  const startApp = async (
    app: SideBySideAppArgs['app'],
    storage?: NestDanceReferenceStorage,
    context?: boolean,
    childOptions?: ChildOptions,
  ) => {
    const args: SideBySideAppArgs = {
      app,
      storage,
      context,
      port: await freePort(),
      clientId: 'side-by-side-client',
      clientSecret: 'side-by-side-secret',
      authorizationUrl: providerChild.ready.authorizationUrl,
      tokenUrl: providerChild.ready.tokenUrl,
    };
    const child: App = await BenchChild.start(
      'side-by-side.app',
      args,
      childOptions,
    );
    apps.push(child);
    return child;
  };
  const load = await BenchChild.start('load-generator', {});
  try {
    /** The hand-written app, nest-dance and the A/A control, each with a user and a token. */
    const startTrio = async (childOptions?: ChildOptions) => {
      const started = {
        hand: await startApp(
          'hand-written',
          undefined,
          undefined,
          childOptions,
        ),
        nest: await startApp('nest-dance', undefined, undefined, childOptions),
        control: await startApp(
          'hand-written',
          undefined,
          undefined,
          childOptions,
        ),
      };
      // Every app's first login creates its tables; then each has a user with a token to read.
      for (const app of Object.values(started)) {
        const done = await login(app, new Browser(), 'reader');
        if (!done) throw new Error('side-by-side: the first login failed');
      }
      return started;
    };
    const trio = await startTrio();
    const { hand, nest } = trio;

    const row = (
      what: string,
      unit: (value: number) => string,
      a: Sample,
      b: Sample,
      ratio: number,
      aa: number,
      target?: { at: number; atMost?: boolean },
    ) => {
      const met = target
        ? target.atMost
          ? ratio <= target.at
          : ratio >= target.at
        : true;
      report.table.rows.push([
        what,
        unit(a.rate),
        unit(b.rate),
        formatRatio(ratio),
        formatRatio(aa),
        target
          ? `${target.atMost ? '<=' : '>='} ${target.at} ${met ? 'met' : '**missed**'}`
          : '(reported)',
      ]);
      if (target)
        report.targets.push({
          what: `${what}, nest-dance / hand-written`,
          target: `${target.atMost ? '<=' : '>='} ${target.at}`,
          actual: `${formatRatio(ratio)} (A/A ${formatRatio(aa)})`,
          met,
        });
    };
    // All three apps in every round (ABC, CBA, ...): the same history for each, so the A/A
    // control is the noise floor of the nest-dance ratio and not of a warmer baseline.
    const compare = (
      measure: (app: App) => Promise<Sample>,
      apps: typeof trio = trio,
    ) =>
      interleaveWithControl(
        options.rounds,
        () => measure(apps.hand),
        () => measure(apps.nest),
        () => measure(apps.control),
      );

    if (parts.includes('stampede')) {
      const rounds = Math.min(3, options.rounds);
      const outcome = { hand: [] as Stampede[], nest: [] as Stampede[] };
      for (let round = 0; round < rounds; round++)
        for (const name of round % 2
          ? (['nest', 'hand'] as const)
          : (['hand', 'nest'] as const))
          outcome[name].push(
            await stampede(trio[name], provider, `stampede-${round}`),
          );
      const summary = (list: Stampede[]) =>
        `${list.map((s) => s.refreshes).join(', ')} refreshes; ${list.map((s) => s.failed).join(', ')} of ${STAMPEDE} failed`;
      report.table.rows.push([
        `refresh stampede: ${STAMPEDE} requests at once on an expired token, rotating refresh tokens (${rounds} rounds)`,
        summary(outcome.hand),
        summary(outcome.nest),
        '',
        '',
        'nest-dance: 1 refresh, 0 failed',
      ]);
      const nestOk = outcome.nest.every(
        (s) => s.refreshes === 1 && s.failed === 0,
      );
      report.targets.push({
        what: `refresh stampede (${STAMPEDE} at once, rotating refresh tokens)`,
        target: '1 refresh, 0 failed',
        actual: `nest-dance ${summary(outcome.nest)}; hand-written ${summary(outcome.hand)}`,
        met: nestOk,
      });
      report.numbers['stampede.nest.refreshes'] = median(
        outcome.nest.map((s) => s.refreshes),
      );
      report.numbers['stampede.nest.failed'] = median(
        outcome.nest.map((s) => s.failed),
      );
      report.numbers['stampede.hand.refreshes'] = median(
        outcome.hand.map((s) => s.refreshes),
      );
      report.numbers['stampede.hand.failed'] = median(
        outcome.hand.map((s) => s.failed),
      );
      report.numbers['stampede.nest.p99'] = median(
        outcome.nest.map((s) => s.p99),
      );
    }
    let saturation = NaN;
    if (parts.includes('dance')) {
      for (const app of Object.values(trio))
        await loginsAtSaturation(app, Math.min(1, options.seconds)); // warm-up
      const { main, aa } = await compare((app) =>
        loginsAtSaturation(app, options.seconds),
      );
      const result = main;
      saturation = Math.min(result.baseline.rate, result.variant.rate);
      row(
        `logins/s at saturation (${BROWSERS} browsers)`,
        formatRate,
        result.baseline,
        result.variant,
        result.ratio,
        aa,
        { at: TARGETS.dance },
      );
      report.ratios.push({
        label: 'logins/s: nest-dance / hand-written',
        ratio: result.ratio,
        target: TARGETS.dance,
      });
      report.numbers['dance.hand'] = result.baseline.rate;
      report.numbers['dance.nest'] = result.variant.rate;
      report.numbers['dance.ratio'] = result.ratio;
      report.numbers['dance.aa'] = aa;
      report.numbers['dance.failed'] =
        (result.baseline.failed ?? 0) + (result.variant.failed ?? 0);
    }

    if (parts.includes('cpu')) {
      // Half of what the slower app sustains, so both keep up: the same work for each.
      const rate = Number.isFinite(saturation)
        ? Math.max(5, Math.round(saturation / 2 / 5) * 5)
        : 40;
      const { main, aa } = await compare((app) =>
        cpuPerLogin(app, rate, options.seconds),
      );
      const result = main;
      // A ratio of CPU per login: lower is better, so the target is an upper bound.
      row(
        `app CPU per login at ${rate} logins/s`,
        (us) => `${Math.round(us)} µs`,
        result.baseline,
        result.variant,
        result.ratio,
        aa,
        { at: TARGETS.cpu, atMost: true },
      );
      report.numbers['cpu.rate'] = rate;
      report.numbers['cpu.hand'] = result.baseline.rate;
      report.numbers['cpu.nest'] = result.variant.rate;
      report.numbers['cpu.ratio'] = result.ratio;
      report.numbers['cpu.aa'] = aa;
      // Where nest-dance's extra CPU per login goes: the same app without the Redis cache, and
      // without the database (its own dance logic, against the hand-written app's whole login).
      for (const [storage, what] of REFERENCE_STORAGES) {
        const reference = await startApp('nest-dance', storage);
        await login(reference, new Browser(), 'reader');
        await cpuPerLogin(reference, rate, Math.min(1, options.seconds)); // warm-up
        const measured = await interleave(
          options.rounds,
          () => cpuPerLogin(hand, rate, options.seconds),
          () => cpuPerLogin(reference, rate, options.seconds),
        );
        report.table.rows.push([
          `app CPU per login at ${rate} logins/s, reference: nest-dance ${what}`,
          `${Math.round(measured.baseline.rate)} µs`,
          `${Math.round(measured.variant.rate)} µs`,
          formatRatio(measured.ratio),
          '',
          '(reference)',
        ]);
        report.numbers[`cpu.reference.${storage}.ratio`] = measured.ratio;
        report.numbers[`cpu.reference.${storage}.nest`] = measured.variant.rate;
        await reference.stop();
        apps.splice(apps.indexOf(reference), 1);
      }
      if (options.profile) {
        for (const [label, app] of [
          ['nest-dance', nest],
          ['hand-written', hand],
        ] as const) {
          const dir = cpuProfileDir();
          await app.profile(dir, () => cpuPerLogin(app, rate, options.seconds));
          report.profiles.push({
            label: `${label} app, logins at ${rate}/s`,
            summary: summarizeProfileDir(dir, 20),
          });
        }
      }
    }

    if (parts.includes('token')) {
      const measure = (app: App) =>
        loadRound(load, app, '/bench/token', options.seconds, 'reader');
      for (const app of Object.values(trio)) await measure(app); // warm-up
      const { main, aa } = await compare(measure);
      const result = main;
      row(
        'token read per request, req/s (Redis cache hit)',
        formatRate,
        result.baseline,
        result.variant,
        result.ratio,
        aa,
        { at: TARGETS.token },
      );
      report.ratios.push({
        label: 'token read: nest-dance / hand-written',
        ratio: result.ratio,
        target: TARGETS.token,
      });
      report.numbers['token.hand'] = result.baseline.rate;
      report.numbers['token.nest'] = result.variant.rate;
      report.numbers['token.ratio'] = result.ratio;
      report.numbers['token.aa'] = aa;
      // The cache nest-dance gives for nothing: `cache: true` over CacheModule's in-memory store
      // against the hand-written app without a cache (a findOne per request).
      const memoryCache = await startApp('nest-dance', 'memory-cache');
      await login(memoryCache, new Browser(), 'reader');
      const fromDatabase = (app: App) =>
        loadRound(load, app, '/bench/token-db', options.seconds, 'reader');
      await fromDatabase(memoryCache); // warm-up
      await fromDatabase(hand);
      const cached = await interleave(
        options.rounds,
        () => fromDatabase(hand),
        () => fromDatabase(memoryCache),
      );
      report.table.rows.push([
        'token read per request, req/s: nest-dance through an in-memory cache (`cache: true`) against a `findOne` per request (reference)',
        formatRate(cached.baseline.rate),
        formatRate(cached.variant.rate),
        formatRatio(cached.ratio),
        '',
        '(reported)',
      ]);
      report.ratios.push({
        label: 'token read, in-memory cache vs findOne',
        ratio: cached.ratio,
      });
      report.numbers['token.memoryCacheRatio'] = cached.ratio;
      await memoryCache.stop();
      apps.splice(apps.indexOf(memoryCache), 1);

      // The same comparison where AsyncLocalStorage costs no promise hooks: Node 22 with
      // AsyncContextFrame (the default from Node 24), for all three apps.
      const node22 = nodeRelease(22);
      const what =
        'token read per request, req/s (Redis cache hit), reference: all three apps on Node 22 ' +
        'with `--experimental-async-context-frame` (AsyncLocalStorage without promise hooks, ' +
        "Node 24's default)";
      if ('missing' in node22) {
        report.table.rows.push([
          what,
          '',
          '',
          '',
          '',
          `(not measured: ${node22.missing})`,
        ]);
      } else {
        const frame: ChildOptions = {
          execPath: node22.execPath,
          execArgv: ['--experimental-async-context-frame'],
        };
        const trio22 = await startTrio(frame);
        for (const app of Object.values(trio22)) await measure(app); // warm-up
        const onFrames = await compare(measure, trio22);
        report.table.rows.push([
          what.replace('Node 22', `Node ${node22.version.replace(/^v/, '')}`),
          formatRate(onFrames.main.baseline.rate),
          formatRate(onFrames.main.variant.rate),
          formatRatio(onFrames.main.ratio),
          formatRatio(onFrames.aa),
          '(reference)',
        ]);
        report.numbers['token.node22.ratio'] = onFrames.main.ratio;
        report.numbers['token.node22.aa'] = onFrames.aa;
        for (const app of Object.values(trio22)) {
          await app.stop();
          apps.splice(apps.indexOf(app), 1);
        }
      }
    }

    if (parts.includes('context')) {
      const measure = (app: App) =>
        loadRound(load, app, '/bench/baseline', options.seconds, 'reader');
      const { main, aa } = await compare(measure);
      const result = main;
      row(
        'a route that reads no token, req/s',
        formatRate,
        result.baseline,
        result.variant,
        result.ratio,
        aa,
      );
      report.ratios.push({
        label: 'no-token route: nest-dance / hand-written',
        ratio: result.ratio,
      });
      report.numbers['context.hand'] = result.baseline.rate;
      report.numbers['context.nest'] = result.variant.rate;
      report.numbers['context.ratio'] = result.ratio;
      report.numbers['context.aa'] = aa;
      // CPU per request at a fixed rate (half of the slower one's saturation).
      const rate = Math.max(
        50,
        Math.round(Math.min(result.baseline.rate, result.variant.rate) / 2),
      );
      const cpu = await compare((app) =>
        cpuPerRequest(load, app, '/bench/baseline', rate, options.seconds),
      );
      const cpuResult = cpu.main;
      row(
        `CPU per request at ${rate} req/s, a route that reads no token`,
        (us) => `${Math.round(us)} µs`,
        cpuResult.baseline,
        cpuResult.variant,
        cpuResult.ratio,
        cpu.aa,
      );
      report.numbers['context.cpuRatio'] = cpuResult.ratio;
      report.numbers['context.cpuAa'] = cpu.aa;
      // What a per-request context costs by itself: the hand-written app plus one
      // AsyncLocalStorage.run per request, as nest-dance's user context (or nestjs-cls) adds.
      const withContext = await startApp('hand-written', undefined, true);
      await login(withContext, new Browser(), 'reader');
      await loadRound(load, withContext, '/bench/baseline', 1, 'reader'); // warm-up
      const contextCost = await interleave(
        options.rounds,
        () =>
          cpuPerRequest(load, hand, '/bench/baseline', rate, options.seconds),
        () =>
          cpuPerRequest(
            load,
            withContext,
            '/bench/baseline',
            rate,
            options.seconds,
          ),
      );
      report.table.rows.push([
        `CPU per request at ${rate} req/s, a route that reads no token, reference: the hand-written app with one AsyncLocalStorage.run per request`,
        `${Math.round(contextCost.baseline.rate)} µs`,
        `${Math.round(contextCost.variant.rate)} µs`,
        formatRatio(contextCost.ratio),
        '',
        '(reference)',
      ]);
      report.numbers['context.alsCpuRatio'] = contextCost.ratio;
      await withContext.stop();
      apps.splice(apps.indexOf(withContext), 1);
    }
  } finally {
    await load.stop();
    await Promise.all(apps.map((app) => app.stop()));
    await providerChild.stop();
  }
  return report;
}

/** Logins per second with `BROWSERS` browsers logging in back to back for `seconds`. */
async function loginsAtSaturation(app: App, seconds: number): Promise<Sample> {
  const latencies: number[] = [];
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BROWSERS }, async (_, b) => {
      const browser = new Browser();
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        if (await login(app, browser, `browser-${b}-${i % USERS_PER_BROWSER}`))
          latencies.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
  };
}

/**
 * The app's CPU time per completed login (µs, in `rate`), with logins started at `rate` per
 * second for `seconds` (open loop: a slow answer does not delay the next start).
 */
async function cpuPerLogin(
  app: App,
  rate: number,
  seconds: number,
): Promise<Sample> {
  const command: SideBySideCommand = { cpu: true };
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  let done = 0;
  let failed = 0;
  const cpu0 = await app.request<number>(command);
  const started = performance.now();
  const logins: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    logins.push(
      login(app, new Browser(), `fixed-${i % 400}`).then((ok) =>
        ok ? void done++ : void failed++,
      ),
    );
  }
  await Promise.all(logins);
  const cpu1 = await app.request<number>(command);
  return {
    rate: (cpu1 - cpu0) / Math.max(1, done),
    p50: NaN,
    p99: NaN,
    failed,
  };
}

async function loadRound(
  load: BenchChild,
  app: App,
  path: string,
  seconds: number,
  user: string,
  overallRate?: number,
): Promise<Sample> {
  const request: LoadRequest = {
    url: `${app.ready.url}${path}`,
    seconds,
    connections: CONNECTIONS,
    headers: { [USER_HEADER]: user },
    overallRate,
  };
  const result = await load.request<LoadResult>(request);
  if (result.failed)
    throw new Error(`${path}: ${result.failed} requests failed`);
  return { rate: result.rps, p50: result.p50, p99: result.p99, failed: 0 };
}

/** The app's CPU time per request (µs, in `rate`) at a fixed arrival rate. */
async function cpuPerRequest(
  load: BenchChild,
  app: App,
  path: string,
  rate: number,
  seconds: number,
): Promise<Sample> {
  const command: SideBySideCommand = { cpu: true };
  const cpu0 = await app.request<number>(command);
  const result = await loadRound(load, app, path, seconds, 'reader', rate);
  const cpu1 = await app.request<number>(command);
  return {
    rate: (cpu1 - cpu0) / Math.max(1, result.rate * seconds),
    p50: result.p50,
    p99: result.p99,
  };
}

interface Stampede {
  refreshes: number;
  failed: number;
  p99: number;
}

/** `STAMPEDE` requests at once that read `user`'s token, just expired; refreshes counted at the provider. */
async function stampede(
  app: App,
  provider: Provider,
  user: string,
): Promise<Stampede> {
  if (!(await login(app, new Browser(), user)))
    throw new Error('stampede: the login failed');
  if (!(await app.request<boolean>({ expire: user })))
    throw new Error('stampede: no token to expire');
  await provider.stats(true);
  const latencies: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: STAMPEDE }, async () => {
      const t0 = performance.now();
      try {
        const response = await fetch(`${app.ready.url}/bench/refresh`, {
          headers: { [USER_HEADER]: user },
        });
        await response.arrayBuffer();
        if (response.status !== 200) failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - t0);
    }),
  );
  const stats = await provider.stats(true);
  return {
    refreshes: stats.refreshes + stats.refreshesRefused,
    failed,
    p99: percentile(latencies, 99),
  };
}

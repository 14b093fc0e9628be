import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../test/support/free-port';
import { USER_HEADER } from './bench-env';
import {
  INSTRUCTION_KINDS,
  InstructionKind,
  perRequestByKind,
  readCallgrindFile,
} from './callgrind';
import { BenchChild } from './child';
import { Browser, login } from './login-browser';
import {
  RunOptions,
  ScenarioReport,
  formatRate,
  formatRatio,
} from './scenario';
import type {
  NestDanceReferenceStorage,
  SideBySideAppArgs,
  SideBySideCommand,
} from './side-by-side.app';

const run = promisify(execFile);

/** What is counted: a route (one GET per request) or a whole login (three requests). */
type MeasureId = 'baseline' | 'token' | 'login';

/** The apps compared, as the side-by-side scenario builds them, and what each is counted on. */
const APPS: ReadonlyArray<{
  name: string;
  app: SideBySideAppArgs['app'];
  context?: boolean;
  storage?: NestDanceReferenceStorage;
  measures: readonly MeasureId[];
}> = [
  {
    name: 'hand-written',
    app: 'hand-written',
    measures: ['baseline', 'token', 'login'],
  },
  {
    name: 'hand-written + AsyncLocalStorage.run',
    app: 'hand-written',
    context: true,
    measures: ['baseline', 'token'],
  },
  {
    name: 'nest-dance',
    app: 'nest-dance',
    measures: ['baseline', 'token', 'login'],
  },
  {
    name: 'nest-dance without the Redis cache',
    app: 'nest-dance',
    storage: 'no-cache',
    measures: ['login'],
  },
  {
    name: 'nest-dance with MemoryTokenStorage',
    app: 'nest-dance',
    storage: 'memory',
    measures: ['login'],
  },
];

/** What is measured, in the order of the table. */
const MEASURES: ReadonlyArray<{ id: MeasureId; path?: string; what: string }> =
  [
    {
      id: 'baseline',
      path: '/bench/baseline',
      what: 'a route that reads no token',
    },
    {
      id: 'token',
      path: '/bench/token',
      what: 'token read, Redis cache hit (nest-dance: TypeORM behind `cache: { redis }`)',
    },
    {
      id: 'login',
      what:
        'a login (login route, the provider, the callback: token request, token stored ' +
        'on PostgreSQL, nest-dance behind `cache: { redis }`)',
    },
  ];

/** Requests per route before counting (JIT tiers up, caches warm) and counted. */
const WARM_UP = 1_500;
const COUNTED = 1_000;
/** Logins before counting and counted: each is three requests and a token request. */
const LOGIN_WARM_UP = 500;
const LOGINS_COUNTED = 300;
/** Logins rotate over this many users, so most of them replace a stored token, as in use. */
const LOGIN_USERS = 50;
const USER = 'reader';

/**
 * Instructions per request, counted by valgrind's callgrind on the app's main thread: unlike
 * CPU time, the same for the same code and inputs whatever else the machine does, so it shows
 * the per-request remainder that a CPU-time ratio of 0.9 hides in its noise, and what it is
 * made of.
 */
export async function instructionsScenario(
  _options: RunOptions,
): Promise<ScenarioReport> {
  const report: ScenarioReport = {
    id: 'instructions',
    title: 'Instructions per request and per login (callgrind)',
    method:
      "The side-by-side scenario's hand-written and nest-dance apps (and the hand-written app " +
      'with one `AsyncLocalStorage.run` per request), each under `valgrind --tool=callgrind ' +
      "--separate-threads=yes`, one token stored for the user without the dance (nest-dance's " +
      '`setToken`, which also enters its lock; the hand-written upsert). One keep-alive ' +
      `connection, one request at a time: ${WARM_UP} requests to each route to warm up, then the ` +
      `counters are zeroed and ${COUNTED} requests counted per route. The figure is the main ` +
      "thread's instructions (Ir) per request; the split is each function's self cost, grouped. " +
      'Instruction counts repeat within about 2% from run to run (the JIT and the garbage ' +
      "collector's timing vary a little), where CPU time on this machine moves by 5–10%; they " +
      'are not time: a cache miss or a mispredicted branch costs cycles no count shows. ' +
      `Logins, after the routes: the side-by-side scenario's instant provider (its own process, not counted), ` +
      `${LOGIN_WARM_UP} logins to warm up, then ${LOGINS_COUNTED} counted, one at a time, each ` +
      `in a new browser (a new session) as one of ${LOGIN_USERS} users, so most replace a stored ` +
      'token; with two reference rows of nest-dance, without the Redis cache and with ' +
      '`MemoryTokenStorage`, which split its login between the dance and the storage.',
    table: {
      headers: [
        'route',
        'app',
        'instructions / request',
        '/ hand-written',
        ...INSTRUCTION_KINDS.map(({ label }) => label),
      ],
      rows: [],
    },
    ratios: [],
    targets: [],
    profiles: [],
    numbers: {},
  };
  if (!(await callgrindAvailable())) {
    report.method =
      'Not measured: valgrind is not installed (Debian: `apt-get install -y valgrind`). ' +
      report.method;
    return report;
  }

  const provider = await BenchChild.start<ProviderUrls>('instant-provider', {});
  const dir = await mkdtemp(join(tmpdir(), 'nd-bench-callgrind-'));
  try {
    await createSchemas(provider.ready);
    const counts = await Promise.all(
      APPS.map((app, index) =>
        countApp(app, provider.ready, join(dir, `app-${index}`)),
      ),
    );
    const byApp = new Map(APPS.map((app, i) => [app.name, counts[i]]));
    for (const measure of MEASURES) addMeasure(report, measure, byApp);
  } finally {
    // For a closer look (callgrind_annotate, kcachegrind): `BENCH_KEEP_PROFILES=<dir>`.
    if (process.env.BENCH_KEEP_PROFILES)
      await cp(dir, process.env.BENCH_KEEP_PROFILES, { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await provider.stop();
  }
  return report;
}

interface MeasureCount {
  total: number;
  byKind: Record<InstructionKind, number>;
}
type AppCounts = Partial<Record<MeasureId, MeasureCount>>;

/** The rows and numbers of one measure: each app counted on it, and nest-dance's extra. */
function addMeasure(
  report: ScenarioReport,
  measure: (typeof MEASURES)[number],
  byApp: Map<string, AppCounts>,
): void {
  const hand = byApp.get('hand-written')![measure.id]!;
  for (const app of APPS) {
    const count = byApp.get(app.name)![measure.id];
    if (!count) continue;
    report.table.rows.push([
      measure.what,
      app.name,
      formatRate(count.total),
      formatRatio(count.total / hand.total),
      ...INSTRUCTION_KINDS.map(({ key }) => formatRate(count.byKind[key])),
    ]);
    report.numbers[`${measure.id}.${numberName(app)}`] = count.total;
    if (app.storage)
      report.numbers[`${measure.id}.${app.storage}.ratio`] =
        count.total / hand.total;
  }
  const nest = byApp.get('nest-dance')![measure.id]!;
  report.table.rows.push([
    measure.what,
    '**nest-dance − hand-written**',
    `**+${formatRate(nest.total - hand.total)}**`,
    '',
    ...INSTRUCTION_KINDS.map(({ key }) =>
      signed(nest.byKind[key] - hand.byKind[key]),
    ),
  ]);
  report.numbers[`${measure.id}.extra`] = nest.total - hand.total;
  for (const { key } of INSTRUCTION_KINDS)
    report.numbers[`${measure.id}.extra.${key}`] =
      nest.byKind[key] - hand.byKind[key];
  report.numbers[`${measure.id}.ratio`] = nest.total / hand.total;
  const withContext = byApp.get('hand-written + AsyncLocalStorage.run')![
    measure.id
  ];
  if (withContext)
    report.numbers[`${measure.id}.alsRatio`] = withContext.total / hand.total;
  report.ratios.push({
    label: `instructions per ${measure.id === 'login' ? 'login' : 'request'}, ${measure.id}: hand-written / nest-dance`,
    ratio: hand.total / nest.total,
  });
}

/** The instant provider's URLs. */
interface ProviderUrls {
  authorizationUrl: string;
  tokenUrl: string;
}

/** The arguments of `app`'s process, on a free port. */
async function appArgs(
  app: (typeof APPS)[number],
  provider: ProviderUrls,
): Promise<SideBySideAppArgs> {
  return {
    app: app.app,
    context: app.context,
    storage: app.storage,
    port: await freePort(),
    clientId: 'instructions-client',
    clientSecret: 'instructions-secret',
    authorizationUrl: provider.authorizationUrl,
    tokenUrl: provider.tokenUrl,
  };
}

/**
 * Starts each kind of app once without callgrind, so its TypeORM `synchronize` creates the
 * tables: on a new database, apps started together under callgrind would race to create them.
 */
async function createSchemas(provider: ProviderUrls): Promise<void> {
  for (const kind of ['hand-written', 'nest-dance'] as const) {
    const app = APPS.find((candidate) => candidate.app === kind)!;
    const child = await BenchChild.start<{ url: string }>(
      'side-by-side.app',
      await appArgs(app, provider),
    );
    await child.stop();
  }
}

/** Starts `app` under callgrind, warms it up, and counts each of its measures. */
async function countApp(
  app: (typeof APPS)[number],
  provider: ProviderUrls,
  outFile: string,
): Promise<AppCounts> {
  const child = await BenchChild.start<{ url: string }>(
    'side-by-side.app',
    await appArgs(app, provider),
    {
      execPath: 'valgrind',
      execArgv: [
        '-q',
        '--tool=callgrind',
        '--separate-threads=yes',
        `--callgrind-out-file=${outFile}`,
        process.execPath,
      ],
      startTimeoutMs: 900_000,
      timeoutMs: 300_000,
    },
  );
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const routes = MEASURES.filter(
      (measure) => measure.path && app.measures.includes(measure.id),
    );
    const counts: AppCounts = {};
    let dumps = 0;
    const counted = async (
      id: MeasureId,
      times: number,
      once: () => Promise<void>,
    ) => {
      await run('callgrind_control', ['--zero', String(child.pid)]);
      for (let i = 0; i < times; i++) await once();
      await run('callgrind_control', ['--dump', String(child.pid)]);
      // Dumps are numbered from 1; thread 1 is the main thread.
      const count = readCallgrindFile(`${outFile}.${++dumps}-01`);
      counts[id] = {
        total: count.total / times,
        byKind: perRequestByKind(count, times),
      };
    };
    // The routes first, as in an app that has done nothing else: the logins' sessions and
    // heap would change what the garbage collector costs them from run to run.
    if (routes.length) {
      await child.request({ seed: USER } satisfies SideBySideCommand);
      for (let i = 0; i < WARM_UP; i++)
        for (const route of routes)
          await get(child.ready.url + route.path!, agent);
    }
    for (const route of routes)
      await counted(route.id, COUNTED, () =>
        get(child.ready.url + route.path!, agent),
      );
    if (app.measures.includes('login')) {
      for (let i = 0; i < LOGIN_WARM_UP; i++) await loginAs(child, i);
      let i = LOGIN_WARM_UP;
      await counted('login', LOGINS_COUNTED, () => loginAs(child, i++));
    }
    agent.destroy();
    return counts;
  } finally {
    await child.stop();
  }
}

/** The `i`th login of the scenario, in a new browser (a new session, as a first visit). */
async function loginAs(
  app: { ready: { url: string } },
  i: number,
): Promise<void> {
  if (!(await login(app, new Browser(), `login-${i % LOGIN_USERS}`)))
    throw new Error(`instructions: login ${i} failed`);
}

/** One GET as the signed-in user; rejects unless it is a 200. */
function get(url: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent, headers: { [USER_HEADER]: USER } }, (response) => {
      response.resume();
      response.once('end', () =>
        response.statusCode === 200
          ? resolve()
          : reject(new Error(`${url} answered ${response.statusCode}`)),
      );
    }).once('error', reject);
  });
}

async function callgrindAvailable(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    await run('callgrind_control', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** The app's part of a number's name: `hand-written`, `hand-als`, `nest-dance`, `nest-dance.memory`... */
function numberName(app: (typeof APPS)[number]): string {
  if (app.context) return 'hand-als';
  return app.storage ? `${app.app}.${app.storage}` : app.app;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatRate(Math.abs(value))}`;
}

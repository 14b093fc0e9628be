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
import {
  RunOptions,
  ScenarioReport,
  formatRate,
  formatRatio,
} from './scenario';
import type { SideBySideAppArgs, SideBySideCommand } from './side-by-side.app';

const run = promisify(execFile);

/** The apps compared, as the side-by-side scenario builds them. */
const APPS = [
  { name: 'hand-written', app: 'hand-written' as const, context: false },
  {
    name: 'hand-written + AsyncLocalStorage.run',
    app: 'hand-written' as const,
    context: true,
  },
  { name: 'nest-dance', app: 'nest-dance' as const, context: false },
];
type AppName = (typeof APPS)[number]['name'];

/** The routes measured, in the order of the dumps. */
const ROUTES = [
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
] as const;
type RouteId = (typeof ROUTES)[number]['id'];

/** Requests per route before counting (JIT tiers up, caches warm) and counted. */
const WARM_UP = 1_500;
const COUNTED = 1_000;
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
    title: 'Instructions per request (callgrind)',
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
      'are not time: a cache miss or a mispredicted branch costs cycles no count shows.',
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

  const dir = await mkdtemp(join(tmpdir(), 'nd-bench-callgrind-'));
  try {
    const counts = await Promise.all(
      APPS.map((app) => countApp(app, join(dir, `app-${APPS.indexOf(app)}`))),
    );
    const byApp = new Map(APPS.map((app, i) => [app.name, counts[i]]));
    for (const route of ROUTES) {
      const hand = byApp.get('hand-written')![route.id];
      for (const app of APPS) {
        const count = byApp.get(app.name)![route.id];
        report.table.rows.push([
          route.what,
          app.name,
          formatRate(count.total),
          formatRatio(count.total / hand.total),
          ...INSTRUCTION_KINDS.map(({ key }) => formatRate(count.byKind[key])),
        ]);
        report.numbers[`${route.id}.${numberName(app.name)}`] = count.total;
      }
      const nest = byApp.get('nest-dance')![route.id];
      report.table.rows.push([
        route.what,
        '**nest-dance − hand-written**',
        `**+${formatRate(nest.total - hand.total)}**`,
        '',
        ...INSTRUCTION_KINDS.map(({ key }) =>
          signed(nest.byKind[key] - hand.byKind[key]),
        ),
      ]);
      report.numbers[`${route.id}.extra`] = nest.total - hand.total;
      for (const { key } of INSTRUCTION_KINDS)
        report.numbers[`${route.id}.extra.${key}`] =
          nest.byKind[key] - hand.byKind[key];
      report.numbers[`${route.id}.ratio`] = nest.total / hand.total;
      report.numbers[`${route.id}.alsRatio`] =
        byApp.get('hand-written + AsyncLocalStorage.run')![route.id].total /
        hand.total;
      report.ratios.push({
        label: `instructions per request, ${route.id}: hand-written / nest-dance`,
        ratio: hand.total / nest.total,
      });
    }
  } finally {
    // For a closer look (callgrind_annotate, kcachegrind): `BENCH_KEEP_PROFILES=<dir>`.
    if (process.env.BENCH_KEEP_PROFILES)
      await cp(dir, process.env.BENCH_KEEP_PROFILES, { recursive: true });
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}

interface RouteCount {
  total: number;
  byKind: Record<InstructionKind, number>;
}

/** Starts `app` under callgrind, warms it up, and counts each route's requests. */
async function countApp(
  app: (typeof APPS)[number],
  outFile: string,
): Promise<Record<RouteId, RouteCount>> {
  const args: SideBySideAppArgs = {
    app: app.app,
    context: app.context || undefined,
    port: await freePort(),
    clientId: 'instructions-client',
    clientSecret: 'instructions-secret',
    // Never called: the token is stored without the dance.
    authorizationUrl: 'http://127.0.0.1:9/authorize',
    tokenUrl: 'http://127.0.0.1:9/token',
  };
  const child = await BenchChild.start<{ url: string }>(
    'side-by-side.app',
    args,
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
    await child.request({ seed: USER } satisfies SideBySideCommand);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < WARM_UP; i++)
      for (const route of ROUTES)
        await get(child.ready.url + route.path, agent);
    const counts = {} as Record<RouteId, RouteCount>;
    for (const [index, route] of ROUTES.entries()) {
      await run('callgrind_control', ['--zero', String(child.pid)]);
      for (let i = 0; i < COUNTED; i++)
        await get(child.ready.url + route.path, agent);
      await run('callgrind_control', ['--dump', String(child.pid)]);
      // Dumps are numbered from 1; thread 1 is the main thread.
      const count = readCallgrindFile(`${outFile}.${index + 1}-01`);
      counts[route.id] = {
        total: count.total / COUNTED,
        byKind: perRequestByKind(count, COUNTED),
      };
    }
    agent.destroy();
    return counts;
  } finally {
    await child.stop();
  }
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

function numberName(app: AppName): string {
  return app === 'hand-written + AsyncLocalStorage.run' ? 'hand-als' : app;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatRate(Math.abs(value))}`;
}

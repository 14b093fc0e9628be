import { freePort } from '../test/support/free-port';
import { BenchChild } from './child';
import type { LoadRequest, LoadResult } from './load-generator';
import { ProfileSummary, cpuProfileDir, summarizeProfileDir } from './profile';
import {
  RunOptions,
  ScenarioReport,
  chosenVariants,
  formatMs,
  formatRate,
  formatRatio,
} from './scenario';
import { PLATFORM_LABEL } from './platform';
import { Sample, interleave } from './stats';
import type { TokenReadServer, TokenReadStorage } from './token-read.app';

/** How each storage is named in the report, and whether its read is a cache hit. */
const STORAGES: Record<TokenReadStorage, { label: string; cacheHit: boolean }> =
  {
    memory: { label: 'MemoryTokenStorage', cacheHit: true },
    'session-memorystore': {
      label: 'SessionTokenStorage, express-session MemoryStore',
      cacheHit: true,
    },
    'session-redis': {
      label: 'SessionTokenStorage, connect-redis',
      cacheHit: true,
    },
    'typeorm-memory-cache': {
      label: 'TypeORM (PostgreSQL) + in-memory cache, hit',
      cacheHit: true,
    },
    'typeorm-redis-cache': {
      label: 'TypeORM (PostgreSQL) + Redis cache, hit',
      cacheHit: true,
    },
    'typeorm-redis-client-cache': {
      label: 'TypeORM (PostgreSQL) + Redis cache (`cache: { redis }`), hit',
      cacheHit: true,
    },
    typeorm: { label: 'TypeORM (PostgreSQL), no cache', cacheHit: false },
  };

/** The servers, in the table's order: every storage on Express, two of them on Fastify. */
const SERVERS: TokenReadServer[] = [
  { platform: 'express', storage: 'memory' },
  { platform: 'express', storage: 'session-memorystore' },
  { platform: 'express', storage: 'session-redis' },
  { platform: 'express', storage: 'typeorm-memory-cache' },
  { platform: 'express', storage: 'typeorm-redis-cache' },
  { platform: 'express', storage: 'typeorm' },
  { platform: 'fastify', storage: 'memory' },
  { platform: 'fastify', storage: 'typeorm-redis-client-cache' },
];

/** A server's variant (`--variants`, the numbers' keys): the storage, `fastify-` before it on Fastify. */
function variantName({ platform, storage }: TokenReadServer): string {
  return platform === 'express' ? storage : `${platform}-${storage}`;
}

/** A server's row label: its platform, then its storage (e.g. "Fastify: MemoryTokenStorage"). */
function variantLabel({ platform, storage }: TokenReadServer): string {
  return `${PLATFORM_LABEL[platform]}: ${STORAGES[storage].label}`;
}

const TARGET = 0.9;
const CONNECTIONS = 32;

type Server = BenchChild<{ url: string; headers: Record<string, string> }>;

/**
 * Scenario 1: `GET /bench/token` (reads the signed-in user's token with `blueprint.getToken()`)
 * against `GET /bench/baseline` of the same app, same auth step, one server process per
 * platform (Express, Fastify) and storage and autocannon in a process of its own.
 */
export async function tokenReadScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const servers = chosenVariants(SERVERS, options, variantName);
  const load = await BenchChild.start('load-generator', {});
  const report: ScenarioReport = {
    id: 'token-read',
    title: '1. Per-request token read',
    method:
      `A Nest controller whose \`GET /bench/token\` calls \`blueprint.getToken()\` for the signed-in ` +
      `user, against \`GET /bench/baseline\` of the same app and auth step without the read, on both ` +
      'platforms: Express (the user set by a Nest auth middleware) and Fastify (`@nestjs/platform-fastify`, ' +
      'the user set on the `FastifyRequest` by an `onRequest` hook); each row is compared with the ' +
      `baseline of its own app. One server process per platform and storage, autocannon with ${CONNECTIONS} connections ` +
      `in another process; ${options.rounds} interleaved rounds of ${options.seconds} s after a warm-up; ` +
      `medians, and the ratio is the median of the per-round ratios. Target: >= ${TARGET} of the ` +
      `baseline on every cache-hit path.`,
    table: {
      headers: [
        'platform: storage',
        'baseline req/s',
        'getToken req/s',
        'p50',
        'p99',
        'ratio',
        'target',
      ],
      rows: [],
    },
    ratios: [],
    targets: [],
    profiles: [],
    numbers: {},
  };
  try {
    for (const serverArgs of servers) {
      const variant = variantName(serverArgs);
      const label = variantLabel(serverArgs);
      const { cacheHit } = STORAGES[serverArgs.storage];
      const server: Server = await BenchChild.start('token-read.app', {
        ...serverArgs,
        port: await freePort(),
      });
      let comparison;
      let profile: ProfileSummary | undefined;
      try {
        const round =
          (path: string, seconds = options.seconds) =>
          () =>
            loadRound(load, server, path, seconds);
        const warmUp = Math.min(2, options.seconds);
        await round('/bench/baseline', warmUp)();
        await round('/bench/token', warmUp)();
        comparison = await interleave(
          options.rounds,
          round('/bench/baseline'),
          round('/bench/token'),
        );
        if (cacheHit && comparison.ratio < TARGET && options.profile)
          profile = await profileServer(load, server, options.seconds);
      } finally {
        await server.stop();
      }
      const { baseline, variant: read, ratio } = comparison;
      const met = !cacheHit || ratio >= TARGET;
      report.table.rows.push([
        label,
        formatRate(baseline.rate),
        formatRate(read.rate),
        formatMs(read.p50),
        formatMs(read.p99),
        formatRatio(ratio),
        cacheHit
          ? `>= ${TARGET} ${ratio >= TARGET ? 'met' : '**missed**'}`
          : '(none)',
      ]);
      report.ratios.push({
        label: `getToken: ${label}`,
        ratio,
        target: cacheHit ? TARGET : undefined,
      });
      report.numbers[`${variant}.baseline`] = baseline.rate;
      report.numbers[`${variant}.token`] = read.rate;
      report.numbers[`${variant}.ratio`] = ratio;
      if (baseline.failed || read.failed)
        throw new Error(
          `${variant}: ${(baseline.failed ?? 0) + (read.failed ?? 0)} requests failed`,
        );
      if (cacheHit)
        report.targets.push({
          what: `getToken, ${label}`,
          target: `>= ${TARGET} of baseline`,
          actual: formatRatio(ratio),
          met,
        });
      if (profile)
        report.profiles.push({
          label: `token-read server, ${label}, under load on /bench/token`,
          summary: profile,
        });
    }
  } finally {
    await load.stop();
  }
  return report;
}

async function loadRound(
  load: BenchChild,
  server: Server,
  path: string,
  seconds: number,
): Promise<Sample> {
  const request: LoadRequest = {
    url: `${server.ready.url}${path}`,
    seconds,
    connections: CONNECTIONS,
    headers: server.ready.headers,
  };
  const result = await load.request<LoadResult>(request);
  return {
    rate: result.rps,
    p50: result.p50,
    p99: result.p99,
    failed: result.failed,
  };
}

/** One more round on the token route, with the server under the CPU profiler. */
async function profileServer(
  load: BenchChild,
  server: Server,
  seconds: number,
) {
  const dir = cpuProfileDir();
  await server.profile(dir, () =>
    loadRound(load, server, '/bench/token', seconds),
  );
  return summarizeProfileDir(dir);
}

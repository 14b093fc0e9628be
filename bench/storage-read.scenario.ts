import { BenchChild } from './child';
import { cpuProfileDir, summarizeProfileDir } from './profile';
import {
  RunOptions,
  ScenarioReport,
  chosenVariants,
  formatMs,
  formatRate,
  formatRatio,
} from './scenario';
import { Sample, interleave } from './stats';
import type { StorageReadKind, StorageReadRound } from './storage-read.worker';

const TARGET = 0.9;
interface Reader {
  kind: StorageReadKind;
  label: string;
  /** Held to the target (the library's own reads), or shown for reference. */
  target: boolean;
}
const PAIRS: Array<{
  id: string;
  raw: StorageReadKind;
  rawLabel: string;
  readers: Reader[];
}> = [
  {
    id: 'pg',
    raw: 'pg',
    rawLabel: 'raw `pg` prepared SELECT',
    readers: [
      {
        kind: 'typeorm',
        label: 'TypeOrmTokenStorage.get (PostgreSQL)',
        target: true,
      },
    ],
  },
  {
    id: 'redis',
    raw: 'redis',
    rawLabel: 'raw `redis` GET + `JSON.parse`',
    readers: [
      {
        kind: 'cached-redis-json',
        label:
          'CachedTokenStorage.get, @keyv/redis hit, Keyv serializers JSON.stringify / JSON.parse (reference)',
        target: false,
      },
      {
        kind: 'cached-redis-client',
        label:
          'CachedTokenStorage.get over RedisTokenCache (`cache: { redis: client }`), hit',
        target: true,
      },
      {
        kind: 'cached-redis',
        label:
          'CachedTokenStorage.get, CACHE_MANAGER over @keyv/redis, hit (reference)',
        target: false,
      },
      {
        kind: 'cache-manager',
        label: 'cache-manager `get` alone (reference, no nest-dance)',
        target: false,
      },
    ],
  },
];
const CONCURRENCY = [1, 32];

/**
 * Scenario 2: the library's storage reads against the raw client reading the same row or key,
 * one at a time and 32 in flight; each reader is a process of its own.
 */
export async function storageReadScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const pairs = chosenVariants(PAIRS, options, (pair) => pair.id);
  const report: ScenarioReport = {
    id: 'storage-read',
    title: '2. Storage read against the raw client',
    method:
      'One process per reader, each reading the same token for the same user in a loop: ' +
      '`TypeOrmTokenStorage.get` against a raw `pg` named prepared statement selecting the same row ' +
      '(both on a pool of 10 connections), and `CachedTokenStorage.get` on a Redis cache hit (over `RedisTokenCache`, as ' +
      '`cache: { redis: client }` sets up, and for reference over cache-manager and @keyv/redis, as `CACHE_MANAGER` resolves) against a raw node-redis `GET` of the same key plus the `JSON.parse` any token read does. ' +
      `One read at a time, then 32 in flight; ${options.rounds} interleaved rounds of ${options.seconds} s ` +
      `after a 1 s warm-up; medians. Target: >= ${TARGET} of the raw client.`,
    table: {
      headers: [
        'read',
        'in flight',
        'raw ops/s',
        'library ops/s',
        'raw p50',
        'library p50',
        'library p99',
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
  for (const pair of pairs) {
    // The library's worker first: it stores the row (or fills the cache key) the others read.
    const workers: BenchChild[] = [];
    try {
      for (const kind of [...pair.readers.map((r) => r.kind), pair.raw])
        workers.push(await BenchChild.start('storage-read.worker', { kind }));
      const raw = workers[workers.length - 1];
      for (const concurrency of CONCURRENCY) {
        const round: StorageReadRound = {
          seconds: options.seconds,
          concurrency,
        };
        for (const [index, reader] of pair.readers.entries()) {
          const worker = workers[index];
          const { baseline, variant, ratio } = await interleave(
            options.rounds,
            () => raw.request<Sample>(round),
            () => worker.request<Sample>(round),
          );
          const met = ratio >= TARGET;
          report.table.rows.push([
            reader.label,
            String(concurrency),
            formatRate(baseline.rate),
            formatRate(variant.rate),
            formatMs(baseline.p50),
            formatMs(variant.p50),
            formatMs(variant.p99),
            formatRatio(ratio),
            reader.target
              ? `>= ${TARGET} ${met ? 'met' : '**missed**'}`
              : '(reference)',
          ]);
          const name = `${pair.id}.${reader.kind}.${concurrency}`;
          report.numbers[`${name}.raw`] = baseline.rate;
          report.numbers[`${name}.reader`] = variant.rate;
          report.numbers[`${name}.ratio`] = ratio;
          report.ratios.push({
            label: `${reader.label.replace(/`/g, '')}, ${concurrency} in flight`,
            ratio,
            target: reader.target ? TARGET : undefined,
          });
          if (!reader.target) continue;
          report.targets.push({
            what: `${reader.label} vs ${pair.rawLabel}, ${concurrency} in flight`,
            target: `>= ${TARGET} of raw`,
            actual: formatRatio(ratio),
            met,
          });
          if (!met && options.profile)
            report.profiles.push({
              label: `${reader.label}, ${concurrency} in flight`,
              summary: await profileWorker(worker, round),
            });
        }
      }
    } finally {
      for (const worker of workers.reverse()) await worker.stop();
    }
  }
  return report;
}

/** One more round of the library's reader, under the CPU profiler. */
async function profileWorker(worker: BenchChild, round: StorageReadRound) {
  const dir = cpuProfileDir();
  await worker.profile(dir, () => worker.request(round));
  return summarizeProfileDir(dir);
}

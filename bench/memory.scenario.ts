import { BenchChild } from './child';
import type { MemoryResult, MemoryRun } from './memory.worker';
import { RunOptions, ScenarioReport, formatRate } from './scenario';

const RUN: MemoryRun = { users: 10_000, reads: 1_000_000, cacheBound: 1_000 };
/** Allowed heap growth after the cache is full: GC noise, not a leak per read. */
const TOLERANCE = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Scenario 5: heap after a million token reads over 10,000 users with a bounded cache. */
export async function memoryScenario(
  options: RunOptions,
): Promise<ScenarioReport> {
  const run: MemoryRun = options.variants.includes('small')
    ? { users: 1_000, reads: 20_000, cacheBound: 100 }
    : RUN;
  const worker = await BenchChild.start(
    'memory.worker',
    {},
    { execArgv: ['--expose-gc'], timeoutMs: 600_000 },
  );
  let result: MemoryResult;
  try {
    result = await worker.request<MemoryResult>(run);
  } finally {
    await worker.stop();
  }
  const growth = result.afterReads - result.cacheFull;
  const met = growth <= TOLERANCE && result.cacheEntries <= run.cacheBound;
  return {
    id: 'memory',
    title: '5. Memory',
    method:
      `${run.users.toLocaleString('en-US')} users' tokens in \`MemoryTokenStorage\` behind the module's ` +
      `cache (\`cache: true\`) in a Keyv store bounded to ${run.cacheBound.toLocaleString('en-US')} entries; ` +
      `${run.reads.toLocaleString('en-US')} reads of random users with \`blueprint.getToken({ userId })\`, ` +
      '100 in flight, in a process run with `--expose-gc`; heapUsed after a forced GC once the tokens are ' +
      `stored, once the cache is full, and after the reads. Target: no growth beyond the cache bound ` +
      `(at most ${mib(TOLERANCE)} between "cache full" and "after the reads").`,
    table: {
      headers: [
        'tokens stored',
        'cache full',
        `after ${run.reads.toLocaleString('en-US')} reads`,
        'growth after the cache filled',
        'cache entries',
        'reads/s',
      ],
      rows: [
        [
          mib(result.seeded),
          mib(result.cacheFull),
          mib(result.afterReads),
          `${growth >= 0 ? '+' : ''}${mib(growth)}`,
          `${result.cacheEntries} (bound ${run.cacheBound})`,
          formatRate(result.readsPerSecond),
        ],
      ],
    },
    ratios: [],
    targets: [
      {
        what: `heap growth over ${run.reads.toLocaleString('en-US')} reads once the cache is full`,
        target: `<= ${mib(TOLERANCE)}`,
        actual: `${growth >= 0 ? '+' : ''}${mib(growth)}`,
        met,
      },
    ],
    profiles: [],
    numbers: { ...result, growth },
  };
}

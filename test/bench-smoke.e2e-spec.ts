import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  INSTRUCTION_KINDS,
  perRequestByKind,
  readCallgrindFile,
} from '../bench/callgrind';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);

/**
 * `npm run bench` still builds and runs: one scenario with tiny durations into a temp folder.
 * It checks that numbers come out, never how fast anything is.
 */
describe('bench harness (smoke)', () => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'nd-bench-smoke-'));
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('runs the token-read scenario for memory storage on Express and Fastify and writes its report', async () => {
    await run(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-p', 'bench/tsconfig.json'],
      { cwd: ROOT },
    );
    await run(
      process.execPath,
      [
        'dist/bench/bench/main.js',
        ...[
          '--only',
          'token-read',
          '--variants',
          'memory,fastify-memory',
          '--rounds',
          '1',
          '--seconds',
          '1',
        ],
        ...['--no-profile', '--out', out, '--json', join(out, 'results.json')],
      ],
      { cwd: ROOT },
    );
    const [report] = JSON.parse(
      await readFile(join(out, 'results.json'), 'utf8'),
    ) as Array<{
      id: string;
      numbers: Record<string, number>;
    }>;
    expect(report.id).toBe('token-read');
    for (const variant of ['memory', 'fastify-memory']) {
      expect(report.numbers[`${variant}.baseline`]).toBeGreaterThan(0);
      expect(report.numbers[`${variant}.token`]).toBeGreaterThan(0);
      expect(report.numbers[`${variant}.ratio`]).toBeGreaterThan(0);
    }
    const markdown = await readFile(join(out, 'benchmarks.md'), 'utf8');
    expect(markdown).toContain('| Express: MemoryTokenStorage |');
    expect(markdown).toContain('| Fastify: MemoryTokenStorage |');
    expect(await readFile(join(out, 'benchmarks.svg'), 'utf8')).toMatch(
      /^<svg[\s\S]*<\/svg>\s*$/,
    );
  }, 180_000);

  it('runs the side-by-side scenario (nest-dance vs hand-written, every part) and reports each ratio', async () => {
    await run(
      process.execPath,
      [
        'dist/bench/bench/main.js',
        ...['--only', 'side-by-side', '--rounds', '1', '--seconds', '1'],
        ...['--no-profile', '--out', out, '--json', join(out, 'sbs.json')],
      ],
      { cwd: ROOT },
    );
    const [report] = JSON.parse(
      await readFile(join(out, 'sbs.json'), 'utf8'),
    ) as Array<{ id: string; numbers: Record<string, number> }>;
    expect(report.id).toBe('side-by-side');
    for (const name of [
      'dance.ratio',
      'dance.aa',
      'cpu.ratio',
      'cpu.aa',
      'token.ratio',
      'token.aa',
      'context.ratio',
      'context.cpuRatio',
      'context.alsCpuRatio',
      'token.memoryCacheRatio',
      'cpu.reference.no-cache.ratio',
      'cpu.reference.memory.ratio',
      'token.node22.ratio',
      'token.node22.aa',
    ])
      expect({ name, value: report.numbers[name] }).toEqual({
        name,
        value: expect.any(Number),
      });
    expect(report.numbers['dance.nest']).toBeGreaterThan(0);
    expect(report.numbers['dance.hand']).toBeGreaterThan(0);
    expect(report.numbers['cpu.nest']).toBeGreaterThan(0);
    // What nest-dance must never do, at any size: more than one refresh per stampede, or fail one.
    expect(report.numbers['stampede.nest.refreshes']).toBe(1);
    expect(report.numbers['stampede.nest.failed']).toBe(0);
    expect(report.numbers['stampede.hand.refreshes']).toBeGreaterThan(0);
    expect(await readFile(join(out, 'benchmarks.md'), 'utf8')).toContain(
      '## nest-dance vs hand-written',
    );
  }, 240_000);

  it("reads a callgrind profile of node (the instructions scenario's counts): self costs add up to the file's totals", async () => {
    const file = join(out, 'callgrind.out');
    await run(
      'valgrind',
      [
        '-q',
        '--tool=callgrind',
        `--callgrind-out-file=${file}`,
        process.execPath,
        '-e',
        'let sum = 0; for (let i = 0; i < 1e6; i++) sum += i;',
      ],
      { cwd: ROOT },
    );
    const text = await readFile(file, 'utf8');
    const totals = Number(/^totals: (\d+)$/m.exec(text)?.[1]);
    expect(totals).toBeGreaterThan(1e6);
    const count = readCallgrindFile(file);
    expect(count.total).toBe(totals);
    const functions = [...count.byFunction.keys()];
    expect(functions.some((fn) => fn.includes('Builtins_'))).toBe(true);
    expect(functions.some((fn) => fn.includes('v8::internal::'))).toBe(true);
    const byKind = perRequestByKind(count, 2);
    expect(Object.keys(byKind)).toEqual(
      INSTRUCTION_KINDS.map(({ key }) => key),
    );
    const sum = Object.values(byKind).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(totals / 2, 0);
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const REPO_ROOT = join(__dirname, '../../..');

/** npm's report of the packed tarball (`npm pack --json`). */
export interface PackReport {
  tarball: string;
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

/** What goes into the package: a change to any of these makes a new tarball. */
const PACKAGE_INPUTS = [
  'libs/oauth-consumer/src',
  'libs/oauth-consumer/package.json',
  'libs/oauth-consumer/README.md',
  'libs/oauth-consumer/tsconfig.lib.json',
  'tsconfig.json',
  'LICENSE',
  'CHANGELOG.md',
  'scripts/build-package.mjs',
  'scripts/pack-package.mjs',
];

/** A hash of the files of `paths` (folders walked, unit specs left out). */
export function hashFiles(root: string, paths: string[]): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (!path.endsWith('.spec.ts')) {
      hash.update(relative(root, path)).update('\0').update(readFileSync(path));
    }
  };
  for (const path of paths) visit(join(root, path));
  return hash.digest('hex').slice(0, 16);
}

/** Whether the process that wrote `lock/pid` is gone (a killed run left its lock behind). */
function abandoned(lock: string, staleMs: number): boolean {
  const pidFile = join(lock, 'pid');
  const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : NaN);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
  const age =
    Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return age > staleMs;
}

/**
 * Runs `create` once across concurrent Jest workers: the first takes `dir.lock` (with its pid),
 * the others wait for `dir/.done`. The lock of a process that died is taken over.
 */
export async function onceAcrossWorkers(
  dir: string,
  create: () => Promise<void>,
  staleMs = 60_000,
): Promise<void> {
  const done = join(dir, '.done');
  const lock = `${dir}.lock`;
  mkdirSync(dirname(dir), { recursive: true });
  for (;;) {
    if (existsSync(done)) return;
    try {
      mkdirSync(lock, { recursive: false });
      writeFileSync(join(lock, 'pid'), String(process.pid));
    } catch {
      if (abandoned(lock, staleMs))
        rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (existsSync(done)) return;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await create();
      writeFileSync(done, new Date().toISOString());
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * Builds and packs nest-dance (`scripts/pack-package.mjs`) into a folder of os.tmpdir() keyed
 * by a hash of the package's inputs, so every suite of a run shares one tarball.
 */
export async function packedTarball(): Promise<PackReport> {
  const dir = join(
    tmpdir(),
    `nest-dance-pack-${hashFiles(REPO_ROOT, PACKAGE_INPUTS)}`,
  );
  const reportFile = join(dir, 'pack-report.json');
  await onceAcrossWorkers(dir, async () => {
    const { stdout } = await run(
      process.execPath,
      [join(REPO_ROOT, 'scripts/pack-package.mjs'), '--out', dir, '--json'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    writeFileSync(reportFile, stdout.trim());
  });
  return JSON.parse(readFileSync(reportFile, 'utf8')) as PackReport;
}

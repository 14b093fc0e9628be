import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtDemoEntry } from '../../apps/demo/src/demo.process';

const ROOT = join(__dirname, '..', '..');
const SOURCES = [
  join(ROOT, 'apps/demo/src'),
  join(ROOT, 'libs/oauth-consumer/src'),
];

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs,
    );
  }
  return newest;
}

/**
 * Builds the demo with the Nest CLI (what `npm start` runs: aliases rewritten, the
 * authorization server's child script copied) unless the build is newer than every source.
 */
export async function ensureDemoBuilt(): Promise<void> {
  const entry = builtDemoEntry();
  const sourcesChanged = Math.max(...SOURCES.map(newestMtime));
  if (existsSync(entry) && statSync(entry).mtimeMs > sourcesChanged) return;
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/nest'),
    ['build', 'demo'],
    { cwd: ROOT },
  );
}

#!/usr/bin/env node
// Builds nest-dance (scripts/build-package.mjs) and packs it into dist/nest-dance-<version>.tgz.
// Prints the tarball's path, size and file list. `--no-build` packs the existing build.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackage, PACKAGE_DIR } from './build-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the tarball is written. */
export const TARBALL_DIR = join(root, 'dist');

/** Packs the built package folder; returns the tarball's path and npm's report of it. */
export function packPackage({ build = true } = {}) {
  if (build) buildPackage();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(
    npm,
    ['pack', '--json', '--ignore-scripts', '--pack-destination', TARBALL_DIR],
    { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [report] = JSON.parse(out);
  return { tarball: join(TARBALL_DIR, report.filename), report };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { tarball, report } = packPackage({ build: !process.argv.includes('--no-build') });
  for (const file of report.files) console.log(`${String(file.size).padStart(8)}  ${file.path}`);
  console.log(
    `pack-package: ${tarball}\n  ${report.entryCount} files, ${report.size} bytes packed, ${report.unpackedSize} bytes unpacked`,
  );
}

#!/usr/bin/env node
// Builds nest-dance (scripts/build-package.mjs) and packs it into dist/nest-dance-<version>.tgz.
// Prints the tarball's path, size and file list.
//   --no-build      pack the existing build in dist/nest-dance
//   --out <dir>     build and pack in <dir> instead (the package in <dir>/nest-dance)
//   --json          print npm's report of the tarball as JSON, plus its path
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { buildPackage, PACKAGE_DIR } from './build-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the tarball is written. */
export const TARBALL_DIR = join(root, 'dist');

/** Packs the package folder into `destination`; returns the tarball's path and npm's report. */
export function packPackage({
  build = true,
  packageDir = PACKAGE_DIR,
  destination = TARBALL_DIR,
} = {}) {
  if (build) buildPackage({ outDir: packageDir });
  mkdirSync(destination, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(
    npm,
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [report] = JSON.parse(out);
  return { tarball: join(destination, report.filename), report };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? resolve(args[outAt + 1]) : undefined;
  const { tarball, report } = packPackage({
    build: !args.includes('--no-build'),
    ...(out ? { packageDir: join(out, 'nest-dance'), destination: out } : {}),
  });
  if (args.includes('--json')) {
    print(JSON.stringify({ tarball, ...report }));
  } else {
    for (const file of report.files) {
      print(`${String(file.size).padStart(8)}  ${file.path}`);
    }
    print(
      `pack-package: ${tarball}\n  ${report.entryCount} files, ` +
        `${report.size} bytes packed, ${report.unpackedSize} bytes unpacked`,
    );
  }
}

function print(text) {
  process.stdout.write(`${text}\n`);
}

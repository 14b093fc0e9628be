#!/usr/bin/env node
// Builds the npm package nest-dance into dist/nest-dance: the compiled library (JavaScript and
// declarations), the testing child script next to the compiled LocalAuthorizationServer, and the
// manifest, README, LICENSE and CHANGELOG. That folder is exactly what `npm pack` ships.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const library = join(root, 'libs/oauth-consumer');
/** Where the package is assembled; scripts/pack-package.mjs packs this folder. */
export const PACKAGE_DIR = join(root, 'dist/nest-dance');

/** Compiles the library and assembles the package folder (`outDir`, default dist/nest-dance). */
export function buildPackage({ outDir = PACKAGE_DIR } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', join(library, 'tsconfig.lib.json'), '--outDir', outDir],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );

  // LocalAuthorizationServer forks this script from its own folder (__dirname).
  const testingSrc = join(library, 'src/testing');
  for (const name of readdirSync(testingSrc).filter((n) =>
    n.endsWith('.mjs'),
  )) {
    copyFileSync(join(testingSrc, name), join(outDir, 'testing', name));
  }
  const copies = [
    [join(library, 'package.json'), 'package.json'],
    [join(library, 'README.md'), 'README.md'],
    [join(root, 'LICENSE'), 'LICENSE'],
    [join(root, 'CHANGELOG.md'), 'CHANGELOG.md'],
  ];
  for (const [from, to] of copies) {
    if (!existsSync(from)) throw new Error(`build-package: ${from} is missing`);
    mkdirSync(dirname(join(outDir, to)), { recursive: true });
    copyFileSync(from, join(outDir, to));
  }
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = buildPackage();
  print(`build-package: nest-dance built in ${outDir}`);
}

function print(text) {
  process.stdout.write(`${text}\n`);
}

import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  PackReport,
  REPO_ROOT,
  packedTarball,
} from './support/consumer-package';

const run = promisify(execFile);
const bin = (name: string): string =>
  join(REPO_ROOT, 'node_modules/.bin', name);

interface Manifest {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  exports: Record<string, unknown>;
}

interface AttwEntrypoint {
  resolutions: Record<string, { resolution?: { fileName: string } }>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The bare package names a built file loads: `require("x")` and `import("x")` in CommonJS
 * files, also `from 'x'` in ES modules (CommonJS text may quote `from '...'` in messages);
 * comments left out.
 */
function bareImports(source: string, esm: boolean): string[] {
  const names = new Set<string>();
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const pattern = esm
    ? /(?:require\(|import\(|\bfrom\s+)\s*["']([^"'./][^"']*)["']/g
    : /(?:require\(|import\()\s*["']([^"'./][^"']*)["']/g;
  for (const [, specifier] of code.matchAll(pattern)) {
    const parts = specifier.split('/');
    names.add(
      specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0],
    );
  }
  return [...names];
}

// The tarball as npm would publish it, checked by the tools the ecosystem uses.
describe('the nest-dance tarball', () => {
  let pack: PackReport;
  let packageDir: string;
  let manifest: Manifest;

  beforeAll(async () => {
    pack = await packedTarball();
    packageDir = join(pack.tarball, '../nest-dance');
    manifest = JSON.parse(
      readFileSync(join(packageDir, 'package.json'), 'utf8'),
    ) as Manifest;
  }, 5 * 60_000);

  it('holds only the build, its types, README, LICENSE and CHANGELOG', () => {
    const paths = pack.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
        'index.js',
        'index.d.ts',
        'typeorm/index.js',
        'typeorm/index.d.ts',
        'testing/index.js',
        'testing/index.d.ts',
        'testing/local-authorization-server.js',
        'testing/local-authorization-server.child.mjs',
      ]),
    );
    const unexpected = paths.filter(
      (path) =>
        !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(path) &&
        !/^[\w/.-]+(\.js|\.d\.ts)$/.test(path) &&
        path !== 'testing/local-authorization-server.child.mjs',
    );
    expect(unexpected).toEqual([]);
    expect(
      paths.filter((path) => /\.spec\.|\.map$|(?<!\.d)\.ts$/.test(path)),
    ).toEqual([]);
    expect(pack.filename).toMatch(/^nest-dance-0\.\d+\.\d+\.tgz$/);
  });

  it('names no path of this repository in its code or README', () => {
    for (const file of filesUnder(packageDir)) {
      const text = readFileSync(file, 'utf8');
      expect({
        file: relative(packageDir, file),
        hit:
          /libs\/oauth-consumer|nest-cli\.json|apps\/demo/.exec(text)?.[0] ??
          null,
      }).toEqual({ file: relative(packageDir, file), hit: null });
    }
  });

  it('loads only builtins, its dependencies and its peers; optional peers never at load time of the root', () => {
    const allowed = new Set([
      ...builtinModules,
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const optional = new Set(
      Object.entries(manifest.peerDependenciesMeta)
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    );
    for (const file of filesUnder(packageDir).filter((f) =>
      /\.(c|m)?js$/.test(f),
    )) {
      const path = relative(packageDir, file);
      const imports = bareImports(
        readFileSync(file, 'utf8'),
        file.endsWith('.mjs'),
      ).filter((name) => !name.startsWith('node:'));
      expect({
        path,
        foreign: imports.filter((name) => !allowed.has(name)),
      }).toEqual({
        path,
        foreign: [],
      });
      // A literal load of an optional peer is allowed only in the subpath that is that
      // feature (nest-dance/typeorm) or in the testing child process.
      const eager = imports.filter(
        (name) =>
          optional.has(name) &&
          !(name === 'typeorm' && path.startsWith('typeorm/')) &&
          !(name === 'oidc-provider' && path.endsWith('.child.mjs')),
      );
      expect({ path, eager }).toEqual({ path, eager: [] });
    }
  });

  it('passes publint --strict with no problem and no suggestion', async () => {
    const { stdout } = await run(bin('publint'), [
      'run',
      pack.tarball,
      '--strict',
    ]);
    expect(stdout).toContain('All good!');
  });

  it('passes @arethetypeswrong/cli for every entry point under node10, node16 (CJS and ESM) and bundler', async () => {
    const { stdout } = await run(
      bin('attw'),
      [pack.tarball, '--format', 'json'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      analysis: {
        problems: unknown[];
        entrypoints: Record<string, AttwEntrypoint>;
      };
    };
    expect(report.analysis.problems).toEqual([]);
    const entrypoints = report.analysis.entrypoints;
    expect(Object.keys(entrypoints).sort()).toEqual([
      '.',
      './package.json',
      './testing',
      './typeorm',
    ]);
    for (const [name, entrypoint] of Object.entries(entrypoints)) {
      for (const kind of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) {
        expect({
          name,
          kind,
          resolved: Boolean(entrypoint.resolutions[kind]?.resolution?.fileName),
        }).toEqual({ name, kind, resolved: true });
      }
    }
  });

  it('declares Nest 11 and 12 as peers, each feature library as an optional peer, and Node 20.19+', () => {
    expect(manifest.peerDependencies['@nestjs/common']).toBe(
      '^11.0.0 || ^12.0.0',
    );
    expect(manifest.peerDependencies['@nestjs/core']).toBe(
      '^11.0.0 || ^12.0.0',
    );
    for (const peer of [
      '@nestjs/cache-manager',
      'cache-manager',
      'express-session',
      'oauth',
      'oidc-provider',
      'passport-oauth1',
      'redis',
      'typeorm',
    ]) {
      expect({ peer, meta: manifest.peerDependenciesMeta[peer] }).toEqual({
        peer,
        meta: { optional: true },
      });
    }
    for (const peer of [
      '@nestjs/common',
      '@nestjs/core',
      'reflect-metadata',
      'rxjs',
    ]) {
      expect(manifest.peerDependenciesMeta[peer]).toBeUndefined();
    }
    expect(Object.keys(manifest.exports).sort()).toEqual([
      '.',
      './package.json',
      './testing',
      './typeorm',
    ]);
  });
});

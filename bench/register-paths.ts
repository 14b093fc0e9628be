/**
 * Imported first by every compiled bench entry point: maps the path aliases (`nest-dance`,
 * `nest-dance/typeorm`, `nest-dance/testing`) onto the compiled tree in dist/bench, and copies
 * the authorization server's child script beside its compiled module (tsc copies no .mjs).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/** dist/bench: this file compiles to dist/bench/bench/register-paths.js. */
export const COMPILED_ROOT = join(__dirname, '..');
/** The repository. */
export const REPO_ROOT = join(COMPILED_ROOT, '..', '..');

register({
  baseUrl: COMPILED_ROOT,
  paths: {
    'nest-dance': ['libs/oauth-consumer/src'],
    'nest-dance/typeorm': ['libs/oauth-consumer/src/typeorm'],
    'nest-dance/testing': ['libs/oauth-consumer/src/testing'],
  },
});

const CHILD_SCRIPT =
  'libs/oauth-consumer/src/testing/local-authorization-server.child.mjs';
if (!existsSync(join(COMPILED_ROOT, CHILD_SCRIPT))) {
  copyFileSync(
    join(REPO_ROOT, CHILD_SCRIPT),
    join(COMPILED_ROOT, CHILD_SCRIPT),
  );
}

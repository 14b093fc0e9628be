import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { POSTGRES, REDIS_PREFIX, REDIS_URL, TABLE_PREFIX } from './bench-env';
import { REPO_ROOT } from './register-paths';

function succeeds(command: string): boolean {
  try {
    execSync(command, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function ensure(
  name: string,
  check: string,
  start: string,
): Promise<void> {
  if (succeeds(check)) return;
  console.log(`bench: starting ${name}`);
  succeeds(start);
  for (let i = 0; i < 60; i++) {
    if (succeeds(check)) return;
    await sleep(500);
  }
  throw new Error(`${name} did not come up (tried: ${start})`);
}

/** Starts PostgreSQL and Redis on loopback when they are down (as .ci/run does). */
export async function ensureServices(): Promise<void> {
  await ensure(
    'PostgreSQL',
    'pg_isready -h 127.0.0.1 -p 5432',
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start',
  );
  await ensure(
    'Redis',
    'redis-cli -h 127.0.0.1 -p 6379 ping',
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no ' +
      '--dir /var/lib/redis --logfile /var/log/redis/ci.log',
  );
}

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

/** The built demo's entry point, built with the Nest CLI first when a source is newer. */
export function ensureDemoBuilt(): string {
  const entry = join(REPO_ROOT, 'dist/apps/demo/apps/demo/src/main.js');
  const sources = ['apps/demo/src', 'libs/oauth-consumer/src'].map((s) =>
    newestMtime(join(REPO_ROOT, s)),
  );
  if (!existsSync(entry) || statSync(entry).mtimeMs < Math.max(...sources)) {
    console.log('bench: building the demo (npx nest build demo)');
    execSync('npx nest build demo', { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  return entry;
}

/** Drops this run's tables and deletes its Redis keys. */
export async function cleanUpRun(): Promise<void> {
  const dataSource = await new DataSource({ ...POSTGRES }).initialize();
  try {
    const tables = (await dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`,
      [`${TABLE_PREFIX.replace(/_/g, '\\_')}%`],
    )) as Array<{ tablename: string }>;
    for (const { tablename } of tables)
      await dataSource.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
  } finally {
    await dataSource.destroy();
  }
  const redis = await createClient({ url: REDIS_URL }).connect();
  try {
    for await (const keys of redis.scanIterator({
      MATCH: `${REDIS_PREFIX}*`,
      COUNT: 500,
    }))
      if (keys.length) await redis.del(keys);
  } finally {
    await redis.quit();
  }
}

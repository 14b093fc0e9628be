import { createClient } from 'redis';
import { DataSource } from 'typeorm';

/** Drops the demo's tables created under `tablePrefix` in the PostgreSQL at `postgresUrl`. */
export async function dropDemoTables(
  postgresUrl: string,
  tablePrefix: string,
): Promise<void> {
  const dataSource = await new DataSource({
    type: 'postgres',
    url: postgresUrl,
  }).initialize();
  const tables = ['demo_oauth_token', 'demo_user', 'nest_dance_refresh_locks'];
  await dataSource.query(
    `DROP TABLE IF EXISTS ${tables.map((t) => `"${tablePrefix}${t}"`).join(', ')}`,
  );
  await dataSource.destroy();
}

/** Deletes every Redis key starting with `prefix`. */
export async function deleteRedisKeys(
  redisUrl: string,
  prefix: string,
): Promise<void> {
  const redis = await createClient({ url: redisUrl }).connect();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  await redis.quit();
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OAuthRefreshLockEntity } from 'nest-dance/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DemoDatabase } from './demo.config';
import { DemoToken } from './demo-token.entity';
import { DemoUser } from './demo-user.entity';

/** Every entity of the demo. */
export const DEMO_ENTITIES = [DemoUser, DemoToken, OAuthRefreshLockEntity];

/** Lock names for creating the tables, so that several demo processes may start at once. */
const SCHEMA_LOCK = 'nest-dance-demo:schema';
const POSTGRES_SCHEMA_LOCK = 720_331_001;

/** DataSource options for the demo's database; creates the SQLite file's folder. */
export function demoDataSourceOptions(
  database: DemoDatabase,
  tablePrefix: string,
): DataSourceOptions {
  const shared = {
    entities: DEMO_ENTITIES,
    entityPrefix: tablePrefix,
    // The demo creates its tables itself (see synchronizeSchema); an app would use migrations.
    synchronize: false,
  };
  if (database.type === 'better-sqlite3') {
    if (database.database !== ':memory:') {
      mkdirSync(dirname(database.database), { recursive: true });
    }
    return { ...shared, type: 'better-sqlite3', database: database.database };
  }
  return { ...shared, type: database.type, url: database.url };
}

/** Opens the DataSource and creates or updates the demo's tables under a database lock. */
export async function openDemoDataSource(
  options: DataSourceOptions,
): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    await synchronizeSchema(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * TypeORM's `synchronize` is not safe to run from two processes at once (both try to create
 * the same table): take a database-wide lock around it. SQLite locks the file by itself.
 */
async function synchronizeSchema(dataSource: DataSource): Promise<void> {
  const type = dataSource.options.type;
  if (type !== 'postgres' && type !== 'mysql' && type !== 'mariadb') {
    await dataSource.synchronize();
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (type === 'postgres') {
      await runner.query('SELECT pg_advisory_lock($1)', [POSTGRES_SCHEMA_LOCK]);
    } else {
      await runner.query('SELECT GET_LOCK(?, 60)', [SCHEMA_LOCK]);
    }
    try {
      await dataSource.synchronize();
    } finally {
      await (type === 'postgres'
        ? runner.query('SELECT pg_advisory_unlock($1)', [POSTGRES_SCHEMA_LOCK])
        : runner.query('SELECT RELEASE_LOCK(?)', [SCHEMA_LOCK]));
    }
  } finally {
    await runner.release();
  }
}

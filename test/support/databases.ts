import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';

/** The real databases of this machine that the suites run against. */
export const POSTGRES = {
  host: '127.0.0.1',
  port: 5432,
  username: 'postgres',
  database: 'test',
} as const;

/** MariaDB (root, empty password). */
export const MARIADB = {
  host: '127.0.0.1',
  port: 3306,
  username: 'root',
  password: '',
  database: 'test',
} as const;

/** Redis 7. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Where a suite's tables live. */
export type DatabaseKind =
  'postgres' | 'mariadb' | 'sqlite-file' | 'sqlite-memory';

/** Every database the TypeORM storage is tested on. */
export const DATABASE_KINDS: readonly DatabaseKind[] = [
  'postgres',
  'mariadb',
  'sqlite-file',
  'sqlite-memory',
];

type EntityList = NonNullable<DataSourceOptions['entities']>;
/** DataSource options a suite may add (a logger, a naming strategy...). */
export type ExtraDataSourceOptions = Pick<
  DataSourceOptions,
  'logger' | 'logging' | 'namingStrategy' | 'name' | 'subscribers'
>;

/**
 * DataSource options for `kind` whose tables are rebuilt fresh (`synchronize` + `dropSchema`)
 * inside a namespace of their own: a PostgreSQL schema, a MariaDB database, a SQLite file in a
 * temp directory. Suites pick distinct namespaces, so they may run in parallel on one server.
 */
export async function isolatedDataSourceOptions(
  kind: DatabaseKind,
  namespace: string,
  entities: EntityList,
  extra: ExtraDataSourceOptions = {},
): Promise<{ options: DataSourceOptions; cleanup: () => Promise<void> }> {
  const fresh = { entities, synchronize: true, dropSchema: true, ...extra };
  switch (kind) {
    case 'postgres': {
      await runOnce({ type: 'postgres', ...POSTGRES }, [
        `CREATE SCHEMA IF NOT EXISTS "${namespace}"`,
      ]);
      return {
        options: {
          ...fresh,
          type: 'postgres',
          ...POSTGRES,
          schema: namespace,
        } as DataSourceOptions,
        cleanup: async () => undefined,
      };
    }
    case 'mariadb': {
      await runOnce({ type: 'mariadb', ...MARIADB }, [
        `CREATE DATABASE IF NOT EXISTS \`${namespace}\``,
      ]);
      return {
        options: {
          ...fresh,
          type: 'mariadb',
          ...MARIADB,
          database: namespace,
        } as DataSourceOptions,
        cleanup: async () => undefined,
      };
    }
    case 'sqlite-file': {
      const directory = await mkdtemp(join(tmpdir(), `${namespace}-`));
      return {
        options: {
          ...fresh,
          type: 'better-sqlite3',
          database: join(directory, 'tokens.sqlite'),
        } as DataSourceOptions,
        cleanup: () => rm(directory, { recursive: true, force: true }),
      };
    }
    case 'sqlite-memory':
      return {
        options: {
          ...fresh,
          type: 'better-sqlite3',
          database: ':memory:',
        } as DataSourceOptions,
        cleanup: async () => undefined,
      };
  }
}

/** An initialized DataSource and how to close it (and remove its files). */
export interface TestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Opens an initialized DataSource on `kind` with fresh tables under `namespace`. */
export async function openTestDatabase(
  kind: DatabaseKind,
  namespace: string,
  entities: EntityList,
  extra: ExtraDataSourceOptions = {},
): Promise<TestDatabase> {
  const { options, cleanup } = await isolatedDataSourceOptions(
    kind,
    namespace,
    entities,
    extra,
  );
  const dataSource = await new DataSource(options).initialize();
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await cleanup();
    },
  };
}

/** Runs `statements` on a short-lived connection (to create a suite's schema or database). */
async function runOnce(
  options: DataSourceOptions,
  statements: string[],
): Promise<void> {
  const bootstrap = await new DataSource(options).initialize();
  try {
    for (const statement of statements) await bootstrap.query(statement);
  } finally {
    await bootstrap.destroy();
  }
}

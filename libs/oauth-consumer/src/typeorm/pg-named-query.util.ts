import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Runs one SQL statement with `values`; resolves to its rows. */
export type NamedQuery = (values: unknown[]) => Promise<unknown[]>;

/** The part of `pg`'s pool (`driver.master`) a named statement is run on. */
interface PgPool {
  query(query: object): Promise<{ rows: unknown[] }>;
}

/** The part of `pg`'s `Query`: made from text and values, named afterwards. */
type PgQueryClass = new (
  text: string,
  values: unknown[],
) => {
  name?: string;
  submit: unknown;
};

/**
 * `sql` as a named prepared statement straight on a PostgreSQL DataSource's `pg` pool (parsed
 * once per connection), or `undefined` where that does not apply: another database, `pg`'s
 * native bindings, or a DataSource with subscribers (they expect TypeORM's query events).
 *
 * Each run is a `pg` `Query` made from the text and values, then given its name: a query given
 * to `pg` as a config object (`{ name, text, values }`) is copied property by property first
 * (`pg` 8.16 and later), about 4 µs a query and an object V8 then reads slowly, where a `Query`
 * is taken as it is. Queries are still logged through the DataSource's logger.
 */
export function pgNamedQuery(
  dataSource: DataSource,
  sql: string,
): NamedQuery | undefined {
  const driver = dataSource.driver as {
    options: { type?: string; native?: boolean };
    master?: unknown;
    postgres?: { Query?: unknown };
  };
  const pool = driver.master as PgPool | undefined;
  if (
    driver.options.type !== 'postgres' ||
    driver.options.native === true ||
    typeof pool?.query !== 'function' ||
    dataSource.subscribers.length !== 0
  ) {
    return undefined;
  }
  const name = `nest-dance-token-${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
  const Query = submittableQueryOf(driver.postgres);
  const queryOf = Query
    ? (values: unknown[]) => Object.assign(new Query(sql, values), { name })
    : (values: unknown[]) => ({ name, text: sql, values });
  const logger = dataSource.logger;
  return async (values) => {
    logger.logQuery(sql, values);
    return (await pool.query(queryOf(values))).rows;
  };
}

/** `pg`'s `Query` class, when the loaded driver has one that a pool runs as it is. */
function submittableQueryOf(
  postgres: { Query?: unknown } | undefined,
): PgQueryClass | undefined {
  const Query = postgres?.Query as
    (PgQueryClass & { prototype?: { submit?: unknown } }) | undefined;
  return typeof Query === 'function' &&
    typeof Query.prototype?.submit === 'function'
    ? Query
    : undefined;
}

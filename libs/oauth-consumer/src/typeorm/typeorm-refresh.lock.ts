import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RefreshLockError } from '../errors/refresh-lock.error';
import { waitForLease } from '../refresh/lock-wait.util';
import {
  RefreshLease,
  RefreshLock,
  RefreshLockTiming,
} from '../refresh/refresh-lock.interface';
import { OAuthRefreshLockEntity } from './oauth-refresh-lock.entity';

/**
 * A refresh lock in the app's database, for several processes without Redis: a row per held
 * lock, taken by INSERT (or by UPDATE of an expired row), released by a DELETE that checks the
 * owner. Works the same on PostgreSQL, MySQL/MariaDB and SQLite. Register
 * `OAuthRefreshLockEntity` in the DataSource.
 * @publicApi
 */
@Injectable()
export class TypeOrmRefreshLock extends RefreshLock {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super();
  }

  /** A lock class bound to a named DataSource token (e.g. `getDataSourceToken('tokens')`). */
  static forDataSource(
    dataSourceToken: string | symbol | Type<DataSource>,
  ): Type<RefreshLock> {
    @Injectable()
    class NamedDataSourceRefreshLock extends TypeOrmRefreshLock {
      constructor(@Inject(dataSourceToken) dataSource: DataSource) {
        super(dataSource);
      }
    }
    return NamedDataSourceRefreshLock;
  }

  /** Takes the lock, waiting up to `waitMs`. */
  acquire(
    name: string,
    { ttlMs, waitMs }: RefreshLockTiming,
  ): Promise<RefreshLease> {
    return waitForLease(name, waitMs, () => this.tryAcquire(name, ttlMs));
  }

  private async tryAcquire(
    lockName: string,
    ttlMs: number,
  ): Promise<RefreshLease | null> {
    // Token keys have no length limit (user ids of any script, percent-encoded): the column
    // holds a fixed-length digest of the name instead.
    const name = createHash('sha256').update(lockName).digest('hex');
    const owner = randomUUID();
    const now = Date.now();
    const expiresAt = String(now + ttlMs);
    const repository = this.dataSource.getRepository(OAuthRefreshLockEntity);
    try {
      await repository
        .createQueryBuilder()
        .insert()
        .values({ name, owner, expiresAt })
        .execute();
    } catch (error) {
      // Only a duplicate name means "taken"; anything else is a failure to report, not to wait out.
      if (!isUniqueViolation(error)) throw lockFailure(lockName, error);
      // Taken: take it over only if it expired (the holder crashed or hung).
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({ owner, expiresAt })
        .where('name = :name AND expiresAt < :now', { name, now })
        .execute()
        .catch((failure: unknown) => {
          throw lockFailure(lockName, failure);
        });
      if (!result.affected) return null;
    }
    return {
      release: async () => {
        await repository
          .createQueryBuilder()
          .delete()
          .where('name = :name AND owner = :owner', { name, owner })
          .execute();
      },
    };
  }
}

/** Duplicate-key codes, per driver (TypeORM copies the driver's `code` / `errno` onto its error). */
const UNIQUE_VIOLATION_CODES = new Set([
  '23505', // PostgreSQL, CockroachDB unique_violation
  'ER_DUP_ENTRY', // MySQL / MariaDB 1062
  'SQLITE_CONSTRAINT_PRIMARYKEY', // better-sqlite3
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** Whether a failed INSERT failed because the lock row already exists. */
function isUniqueViolation(error: unknown): boolean {
  const failure = error as {
    code?: unknown;
    errno?: unknown;
    number?: unknown;
    message?: unknown;
  } | null;
  const code = failure?.code;
  // mssql: EREQUEST with the server's error number (2627 primary key, 2601 unique index).
  if (code === 'EREQUEST')
    return failure?.number === 2627 || failure?.number === 2601;
  if (typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code)) return true;
  if (failure?.errno === 1062) return true;
  // node-sqlite3 reports the generic SQLITE_CONSTRAINT for every constraint.
  return (
    code === 'SQLITE_CONSTRAINT' &&
    typeof failure?.message === 'string' &&
    /UNIQUE|PRIMARY KEY/i.test(failure.message)
  );
}

/** A `RefreshLockError` with the driver's code and first line, never its query parameters. */
function lockFailure(lockName: string, error: unknown): RefreshLockError {
  const failure = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  } | null;
  const code =
    typeof failure?.code === 'string' || typeof failure?.code === 'number'
      ? String(failure.code)
      : typeof failure?.name === 'string'
        ? failure.name
        : 'Error';
  const message = (
    typeof failure?.message === 'string' ? failure.message : String(error)
  )
    .split('\n')[0]
    .slice(0, 300);
  const cause = Object.assign(new Error(message), { code });
  return new RefreshLockError(
    lockName,
    `the database failed (${code}: ${message}). Check that the database is reachable and that ` +
      'the table of OAuthRefreshLockEntity exists and accepts writes (add the entity to the ' +
      'DataSource, or run your migrations).',
    { cause },
  );
}

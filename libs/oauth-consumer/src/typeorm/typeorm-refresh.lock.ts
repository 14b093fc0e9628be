import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
    name: string,
    ttlMs: number,
  ): Promise<RefreshLease | null> {
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
    } catch {
      // Taken: take it over only if it expired (the holder crashed or hung).
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({ owner, expiresAt })
        .where('name = :name AND expiresAt < :now', { name, now })
        .execute();
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

import {
  RefreshLockError,
  RefreshLockTimeoutError,
  serializeTokenKey,
} from 'nest-dance';
import { OAuthRefreshLockEntity, TypeOrmRefreshLock } from 'nest-dance/typeorm';
import {
  DatabaseKind,
  TestDatabase,
  openTestDatabase,
} from '../support/databases';

/** A user id of 40 Cyrillic letters: 240 characters once its key is serialized (%D0%96...). */
const CYRILLIC_USER = 'Жанна'.repeat(8);

/** Makes every INSERT into the lock table fail the way a full disk or a revoked grant would. */
const FAILING_INSERT: Record<'postgres' | 'mariadb', string[]> = {
  postgres: [
    `CREATE OR REPLACE FUNCTION nd_adv_lock_names.nd_lock_insert_fails() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'could not extend file: No space left on device (simulated)'; END;
     $$ LANGUAGE plpgsql`,
    `CREATE TRIGGER nd_lock_insert_fails BEFORE INSERT ON nd_adv_lock_names.nest_dance_refresh_locks
       FOR EACH ROW EXECUTE FUNCTION nd_adv_lock_names.nd_lock_insert_fails()`,
  ],
  mariadb: [
    `CREATE TRIGGER nd_lock_insert_fails BEFORE INSERT ON nest_dance_refresh_locks
       FOR EACH ROW SIGNAL SQLSTATE '45000'
       SET MESSAGE_TEXT = 'No space left on device (simulated)'`,
  ],
};

const timing = { ttlMs: 5_000, waitMs: 300 };

/**
 * issue 13 #8: the lock's name column is varchar(191) and a token key can be longer (a user id
 * of 40 Cyrillic letters); every INSERT error was read as "taken", so that user could never
 * refresh (or, where the database truncates, shared a lock with another user).
 */
describe.each<DatabaseKind>(['postgres', 'mariadb', 'sqlite-file'])(
  'issue 13 #8: TypeOrmRefreshLock names of any length, and failures that are not "taken" (%s)',
  (kind) => {
    let database: TestDatabase;
    let lock: TypeOrmRefreshLock;

    beforeAll(async () => {
      database = await openTestDatabase(kind, 'nd_adv_lock_names', [
        OAuthRefreshLockEntity,
      ]);
      lock = new TypeOrmRefreshLock(database.dataSource);
    });
    afterAll(() => database?.close());

    it('a user id of 40 Cyrillic letters takes, holds and releases its lock', async () => {
      const name = serializeTokenKey({
        provider: 'local',
        userId: CYRILLIC_USER,
      });
      expect(name.length).toBeGreaterThan(191);
      const lease = await lock.acquire(name, timing);
      await expect(lock.acquire(name, timing)).rejects.toThrow(
        RefreshLockTimeoutError,
      );
      await lease.release();
      const again = await lock.acquire(name, timing);
      await again.release();
    });

    it('two long names that only differ after character 191 are two locks', async () => {
      const common = `local|${'я'.repeat(200)}`;
      const first = await lock.acquire(`${common}-first`, timing);
      const second = await lock.acquire(`${common}-second`, timing);
      await Promise.all([first.release(), second.release()]);
    });

    it('stores a fixed-length hash as the name, never the user id', async () => {
      const name = serializeTokenKey({ provider: 'local', userId: 'erin' });
      const lease = await lock.acquire(name, timing);
      const rows: Array<{ name: string }> = await database.dataSource
        .getRepository(OAuthRefreshLockEntity)
        .find();
      expect(rows.map((row) => row.name)).toEqual([
        expect.stringMatching(/^[0-9a-f]{64}$/),
      ]);
      await lease.release();
    });

    if (kind === 'postgres' || kind === 'mariadb') {
      it('an INSERT that fails for another reason is a RefreshLockError naming the fix, at once', async () => {
        for (const statement of FAILING_INSERT[kind])
          await database.dataSource.query(statement);
        try {
          const started = Date.now();
          const attempt = lock.acquire('local|u:frank', {
            ttlMs: 5_000,
            waitMs: 3_000,
          });
          await expect(attempt).rejects.toThrow(RefreshLockError);
          await expect(attempt).rejects.toThrow(
            /No space left on device \(simulated\).*OAuthRefreshLockEntity/,
          );
          expect(Date.now() - started).toBeLessThan(2_000);
        } finally {
          await database.dataSource.query(
            'DROP TRIGGER nd_lock_insert_fails' +
              (kind === 'postgres'
                ? ' ON nd_adv_lock_names.nest_dance_refresh_locks'
                : ''),
          );
        }
      });
    }
  },
);

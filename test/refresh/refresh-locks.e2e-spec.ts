import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import {
  InProcessRefreshLock,
  RedisRefreshLock,
  RefreshLock,
  RefreshLockTimeoutError,
} from 'nest-dance';
import { OAuthRefreshLockEntity, TypeOrmRefreshLock } from 'nest-dance/typeorm';
import {
  DatabaseKind,
  isolatedDataSourceOptions,
  REDIS_URL,
} from '../support/databases';

interface LockUnderTest {
  lock: RefreshLock;
  close(): Promise<void>;
}

const typeOrmLock =
  (kind: DatabaseKind) => async (): Promise<LockUnderTest> => {
    const { options, cleanup } = await isolatedDataSourceOptions(
      kind,
      'nd_refresh_locks',
      [OAuthRefreshLockEntity],
    );
    const dataSource = await new DataSource(options).initialize();
    return {
      lock: new TypeOrmRefreshLock(dataSource),
      close: async () => {
        await dataSource.destroy();
        await cleanup();
      },
    };
  };

const locks: Array<[string, () => Promise<LockUnderTest>]> = [
  [
    'InProcessRefreshLock',
    async () => ({
      lock: new InProcessRefreshLock(),
      close: async () => undefined,
    }),
  ],
  [
    'RedisRefreshLock (real Redis)',
    async () => {
      const client = createClient({ url: REDIS_URL });
      await client.connect();
      const prefix = `nd-test-${process.pid}-${Date.now()}:`;
      return {
        lock: new RedisRefreshLock(
          { sendCommand: (args) => client.sendCommand(args) },
          prefix,
        ),
        close: async () => {
          await client.quit();
        },
      };
    },
  ],
  ['TypeOrmRefreshLock on PostgreSQL', typeOrmLock('postgres')],
  ['TypeOrmRefreshLock on MariaDB', typeOrmLock('mariadb')],
  ['TypeOrmRefreshLock on SQLite', typeOrmLock('sqlite-file')],
];

describe.each(locks)('%s', (_name, create) => {
  let subject: LockUnderTest;
  let counter = 0;
  const name = () => `lock-${process.pid}-${++counter}`;

  beforeAll(async () => {
    subject = await create();
  });
  afterAll(() => subject.close());

  it('lets one holder in at a time, and the next in after release', async () => {
    const lockName = name();
    const first = await subject.lock.acquire(lockName, {
      ttlMs: 5000,
      waitMs: 100,
    });
    await expect(
      subject.lock.acquire(lockName, { ttlMs: 5000, waitMs: 150 }),
    ).rejects.toThrow(RefreshLockTimeoutError);
    await first.release();
    const second = await subject.lock.acquire(lockName, {
      ttlMs: 5000,
      waitMs: 150,
    });
    await second.release();
  });

  it('serialises 20 concurrent holders of one lock', async () => {
    const lockName = name();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const lease = await subject.lock.acquire(lockName, {
          ttlMs: 5000,
          waitMs: 20_000,
        });
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        await sleep(5);
        inside -= 1;
        await lease.release();
      }),
    );
    expect(maxInside).toBe(1);
  });

  it('frees itself after the ttl when its holder died without releasing it', async () => {
    const lockName = name();
    await subject.lock.acquire(lockName, { ttlMs: 300, waitMs: 100 }); // never released
    const started = Date.now();
    const next = await subject.lock.acquire(lockName, {
      ttlMs: 5000,
      waitMs: 5000,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await next.release();
  });

  it('a late release by an expired holder never frees the next holder lock', async () => {
    const lockName = name();
    const stale = await subject.lock.acquire(lockName, {
      ttlMs: 200,
      waitMs: 100,
    });
    const current = await subject.lock.acquire(lockName, {
      ttlMs: 5000,
      waitMs: 5000,
    });
    await stale.release();
    await expect(
      subject.lock.acquire(lockName, { ttlMs: 5000, waitMs: 100 }),
    ).rejects.toThrow(RefreshLockTimeoutError);
    await current.release();
  });

  it('keeps different locks independent', async () => {
    const a = await subject.lock.acquire(name(), { ttlMs: 5000, waitMs: 100 });
    const b = await subject.lock.acquire(name(), { ttlMs: 5000, waitMs: 100 });
    await Promise.all([a.release(), b.release()]);
  });
});

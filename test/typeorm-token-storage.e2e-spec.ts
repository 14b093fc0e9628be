import { inspect } from 'node:util';
import { OAuthToken, TokenKey, TokenStorageError } from 'nest-dance';
import {
  OAuthTokenEntity,
  TypeOrmTokenStorage,
  ownerKeyOf,
} from 'nest-dance/typeorm';
import {
  AfterQueryEvent,
  Column,
  DataSource,
  DataSourceOptions,
  DefaultNamingStrategy,
  Entity,
  EntitySubscriberInterface,
  EventSubscriber,
  InsertEvent,
  ManyToOne,
  NamingStrategyInterface,
  PrimaryGeneratedColumn,
} from 'typeorm';
import {
  DATABASE_KINDS,
  MARIADB,
  POSTGRES,
  TestDatabase,
  isolatedDataSourceOptions,
  openTestDatabase,
} from './support/databases';
import { TcpProxy } from './support/tcp-proxy';

@Entity('nd_storage_user')
class StorageUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;
}

/** An app's entity: a user relation and a column of its own, as the docs show. */
@Entity('nd_storage_token')
class AppToken extends OAuthTokenEntity {
  @ManyToOne(() => StorageUser, { nullable: true, onDelete: 'CASCADE' })
  user: StorageUser | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  label: string | null;
}

const NAMESPACE = 'nd_storage';
const AppTokenStorage = TypeOrmTokenStorage.forEntity(AppToken);

const tokenOf = (label: string): OAuthToken => ({
  access_token: `${label}-access-secret`,
  refresh_token: `${label}-refresh-secret`,
  token_type: 'Bearer',
  expires_at: 2_000_000_000,
});

describe.each(DATABASE_KINDS)('TypeOrmTokenStorage on %s', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let storage: TypeOrmTokenStorage;

  beforeAll(async () => {
    database = await openTestDatabase(kind, NAMESPACE, [StorageUser, AppToken]);
    dataSource = database.dataSource;
    storage = new AppTokenStorage(dataSource);
  });

  afterAll(() => database?.close());

  beforeEach(async () => {
    await dataSource.createQueryBuilder().delete().from(AppToken).execute();
    await dataSource.createQueryBuilder().delete().from(StorageUser).execute();
  });

  const rows = () => dataSource.getRepository(AppToken).find();

  it('50 concurrent writes for one owner leave exactly one row, holding one of the tokens', async () => {
    const key: TokenKey = { provider: 'github', userId: null };
    const tokens = Array.from({ length: 50 }, (_, i) =>
      tokenOf(`race-${String(i).padStart(2, '0')}`),
    );
    await Promise.all(tokens.map((token) => storage.set(key, token)));

    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0].ownerKey).toBe(ownerKeyOf(key));
    expect(tokens).toContainEqual(await storage.get(key));
  });

  it('50 concurrent writes for two accounts of one user leave one row per account', async () => {
    const user = await dataSource
      .getRepository(StorageUser)
      .save({ name: 'alice' });
    const writes = Array.from({ length: 50 }, (_, i) =>
      storage.set(
        {
          provider: 'github',
          userId: String(user.id),
          accountId: i % 2 ? 'work' : 'home',
        },
        tokenOf(`acc-${i}`),
      ),
    );
    await Promise.all(writes);
    const stored = await rows();
    expect(stored.map((row) => row.providerUserId).sort()).toEqual([
      'home',
      'work',
    ]);
  });

  it('writes run one prepared upsert (no query builder per write) and store every column as the builder does', async () => {
    const user = await dataSource
      .getRepository(StorageUser)
      .save({ name: 'alice' });
    const alice = {
      provider: 'github',
      userId: String(user.id),
      accountId: 'work',
    };
    const nobody: TokenKey = { provider: 'gitlab', userId: null };
    await storage.get(nobody); // builds the statements
    const builds = jest.spyOn(dataSource, 'createQueryBuilder');
    try {
      for (let i = 0; i < 10; i++) {
        await storage.set(alice, tokenOf(`prepared-${i}`));
        const { expires_at: _never, ...noExpiry } = tokenOf(`open-${i}`);
        await storage.set(nobody, noExpiry);
      }
      expect(builds).not.toHaveBeenCalled();
    } finally {
      builds.mockRestore();
    }
    const stored = (await rows()).sort((a, b) =>
      a.provider.localeCompare(b.provider),
    );
    expect(
      stored.map(
        ({ provider, userId, providerUserId, ownerKey, expiresAt }) => ({
          provider,
          // The user relation makes the column an integer here.
          userId: userId === null ? null : String(userId),
          providerUserId,
          ownerKey,
          expiresAt,
        }),
      ),
    ).toEqual([
      {
        provider: 'github',
        userId: String(user.id),
        providerUserId: 'work',
        ownerKey: ownerKeyOf(alice),
        expiresAt: 2_000_000_000,
      },
      {
        provider: 'gitlab',
        userId: null,
        providerUserId: null,
        ownerKey: ownerKeyOf(nobody),
        expiresAt: null,
      },
    ]);
    expect(stored[0].token).toEqual(tokenOf('prepared-9'));
    const { expires_at: _dropped, ...open } = tokenOf('open-9');
    expect(await storage.get(nobody)).toEqual(open);
  });

  it('a refresh updates the token in place: the app’s columns, id and createdAt survive', async () => {
    const user = await dataSource
      .getRepository(StorageUser)
      .save({ name: 'bob' });
    const key: TokenKey = {
      provider: 'github',
      userId: String(user.id),
      accountId: '4242',
    };
    await storage.set(key, tokenOf('first'));
    const [first] = await rows();
    await dataSource
      .getRepository(AppToken)
      .update(first.id, { label: 'bob at GitHub' });

    await storage.set(key, tokenOf('refreshed'));

    const [after] = await dataSource
      .getRepository(AppToken)
      .find({ relations: { user: true } });
    expect(await rows()).toHaveLength(1);
    expect(after.id).toBe(first.id);
    expect(after.label).toBe('bob at GitHub');
    expect(after.user?.name).toBe('bob');
    expect(after.providerUserId).toBe('4242');
    expect(after.createdAt.getTime()).toBe(first.createdAt.getTime());
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(
      first.updatedAt.getTime(),
    );
    expect(after.token).toEqual(tokenOf('refreshed'));
  });

  it('the user relation uses the userId column, and deleting the user deletes the token', async () => {
    const carol = await dataSource
      .getRepository(StorageUser)
      .save({ name: 'carol' });
    await storage.set(
      { provider: 'github', userId: String(carol.id) },
      tokenOf('carol'),
    );
    const [row] = await dataSource
      .getRepository(AppToken)
      .find({ relations: { user: true } });
    expect(row.user?.name).toBe('carol');

    await dataSource.getRepository(StorageUser).delete(carol.id);
    expect(await rows()).toHaveLength(0);
    expect(
      await storage.get({ provider: 'github', userId: String(carol.id) }),
    ).toBeNull();
  });

  it('a row never shows its token as a string, when inspected or as JSON', async () => {
    await storage.set({ provider: 'github', userId: null }, tokenOf('dana'));
    const [row] = await rows();
    expect(String(row)).toBe(`AppToken<provider=github id=${row.id}>`);
    expect(`${row}`).not.toContain('secret');
    expect(inspect(row)).toBe(String(row));
    expect(inspect({ rows: [row] }, { depth: 5 })).not.toContain('secret');
    const json = JSON.stringify(row);
    expect(json).not.toContain('secret');
    expect(JSON.parse(json)).toMatchObject({ id: row.id, provider: 'github' });
  });

  it('a destroyed DataSource fails with TokenStorageError naming the fix, not null', async () => {
    const { options, cleanup } = await isolatedDataSourceOptions(
      kind,
      NAMESPACE,
      [StorageUser, AppToken],
    );
    // A SQLite DataSource is a database of its own; a server's must not rebuild the shared table.
    const doomed = await new DataSource(
      kind.startsWith('sqlite')
        ? options
        : ({
            ...options,
            synchronize: false,
            dropSchema: false,
          } as DataSourceOptions),
    ).initialize();
    const doomedStorage = new AppTokenStorage(doomed);
    const key: TokenKey = { provider: 'github', userId: null };
    expect(await doomedStorage.get(key)).toBeNull(); // worked while it lived
    await doomed.destroy();

    for (const call of [
      () => doomedStorage.get(key),
      () => doomedStorage.set(key, tokenOf('lost')),
      () => doomedStorage.delete(key),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TokenStorageError);
      expect((error as Error).message).toMatch(/initialize it/);
      expect((error as Error).message).not.toContain('secret');
    }
    await cleanup();
  });

  it('a missing table fails with TokenStorageError that names migrations and hides the token', async () => {
    await dataSource.query(
      `DROP TABLE IF EXISTS ${dataSource.getMetadata(AppToken).tablePath.replace(/([^.]+)/g, (part) => dataSource.driver.escape(part))}`,
    );
    try {
      const error = await storage
        .set({ provider: 'github', userId: null }, tokenOf('orphan'))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(TokenStorageError);
      expect((error as Error).message).toMatch(/run your migrations/);
      expect((error as Error).message).not.toContain('secret');
      expect(inspect(error, { depth: 5 })).not.toContain('secret');
      await expect(
        storage.get({ provider: 'github', userId: null }),
      ).rejects.toThrow(TokenStorageError);
    } finally {
      await dataSource.synchronize();
    }
  });
});

describe.each([
  ['postgres', POSTGRES.host, POSTGRES.port],
  ['mariadb', MARIADB.host, MARIADB.port],
] as const)(
  'TypeOrmTokenStorage when %s goes down',
  (kind, targetHost, targetPort) => {
    let proxy: TcpProxy;
    let dataSource: DataSource;

    beforeAll(async () => {
      proxy = await TcpProxy.start(targetHost, targetPort);
      const { options } = await isolatedDataSourceOptions(
        kind,
        `${NAMESPACE}_down`,
        [StorageUser, AppToken],
      );
      dataSource = await new DataSource({
        ...options,
        port: proxy.port,
      } as DataSourceOptions).initialize();
    });

    afterAll(async () => {
      await proxy?.cut();
      if (dataSource?.isInitialized) await dataSource.destroy();
    });

    it('every call fails with TokenStorageError (never null) that names the fix and hides the token', async () => {
      const storage = new AppTokenStorage(dataSource);
      const key: TokenKey = { provider: 'github', userId: null };
      await storage.set(key, tokenOf('before'));
      expect(await storage.get(key)).toEqual(tokenOf('before'));

      await proxy.cut();
      for (const call of [
        () => storage.get(key),
        () => storage.set(key, tokenOf('during')),
        () => storage.delete(key),
      ]) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TokenStorageError);
        expect((error as TokenStorageError).provider).toBe('github');
        expect((error as Error).message).toMatch(
          /database is running and reachable/,
        );
        expect(inspect(error, { depth: 5 })).not.toContain('secret');
      }
    });
  },
);

describe('TypeOrmTokenStorage configuration errors', () => {
  @Entity('nd_storage_unregistered')
  class UnregisteredToken extends OAuthTokenEntity {}

  /** Database columns in snake_case, as many apps configure TypeORM. */
  class SnakeNamingStrategy
    extends DefaultNamingStrategy
    implements NamingStrategyInterface
  {
    override columnName(
      propertyName: string,
      customName: string | undefined,
      prefixes: string[],
    ): string {
      const name = customName ?? propertyName;
      return [...prefixes, name.replace(/[A-Z]/g, (c) => `_${c}`)]
        .join('_')
        .toLowerCase();
    }

    override joinColumnName(
      relationName: string,
      referencedColumnName: string,
    ): string {
      return this.columnName(`${relationName}_${referencedColumnName}`, '', []);
    }
  }

  it('an entity missing from the DataSource fails with a TokenStorageError naming entities', async () => {
    const database = await openTestDatabase('sqlite-memory', NAMESPACE, [
      AppToken,
      StorageUser,
    ]);
    try {
      const storage = new TypeOrmTokenStorage(
        database.dataSource,
        UnregisteredToken,
      );
      await expect(
        storage.get({ provider: 'github', userId: null }),
      ).rejects.toThrow(/add it to its entities/);
    } finally {
      await database.close();
    }
  });

  it('works with a naming strategy that renames columns', async () => {
    const database = await openTestDatabase(
      'sqlite-memory',
      NAMESPACE,
      [AppToken, StorageUser],
      { namingStrategy: new SnakeNamingStrategy() },
    );
    try {
      const storage = new AppTokenStorage(database.dataSource);
      const key: TokenKey = { provider: 'github', userId: null };
      await storage.set(key, tokenOf('snake'));
      await storage.set(key, tokenOf('snake-2'));
      expect(await storage.get(key)).toEqual(tokenOf('snake-2'));
      const columns = await database.dataSource.query(
        `SELECT "owner_key", "updated_at" FROM "nd_storage_token"`,
      );
      expect(columns).toEqual([
        { owner_key: ownerKeyOf(key), updated_at: expect.anything() },
      ]);
      await storage.delete(key);
      expect(await storage.get(key)).toBeNull();
    } finally {
      await database.close();
    }
  });

  it("on PostgreSQL reads and writes are named pg Query objects on the DataSource's pool, not config objects pg copies", async () => {
    const database = await openTestDatabase('postgres', `${NAMESPACE}_named`, [
      AppToken,
      StorageUser,
    ]);
    try {
      const storage = new AppTokenStorage(database.dataSource);
      const driver = database.dataSource.driver as unknown as {
        master: { query(...args: unknown[]): Promise<unknown> };
        postgres: { Query: new (...args: unknown[]) => object };
      };
      const sent = jest.spyOn(driver.master, 'query');
      const key: TokenKey = { provider: 'github', userId: null };
      let queries: unknown[];
      try {
        for (let i = 0; i < 3; i++) {
          await storage.set(key, tokenOf(`named-${i}`));
          expect(await storage.get(key)).toEqual(tokenOf(`named-${i}`));
        }
        queries = sent.mock.calls.map(([query]) => query);
      } finally {
        sent.mockRestore();
      }
      expect(queries.length).toBeGreaterThanOrEqual(6);
      for (const query of queries) {
        expect(query).toBeInstanceOf(driver.postgres.Query);
        expect((query as { name?: string }).name).toMatch(
          /^nest-dance-token-[0-9a-f]{24}$/,
        );
      }
      // One name per statement (the SELECT, the upsert), the same on every run.
      const names = new Set(
        queries.map((query) => (query as { name: string }).name),
      );
      expect(names.size).toBe(2);
    } finally {
      await database.close();
    }
  });

  it('TypeORM subscribers see token reads and writes on PostgreSQL (the prepared fast paths step aside)', async () => {
    const seen: string[] = [];
    const inserted: unknown[] = [];
    @EventSubscriber()
    class QueryWatcher implements EntitySubscriberInterface {
      afterQuery(event: AfterQueryEvent<unknown>): void {
        seen.push(event.query);
      }
      afterInsert(event: InsertEvent<unknown>): void {
        inserted.push(event.entity);
      }
    }
    const database = await openTestDatabase(
      'postgres',
      `${NAMESPACE}_subscribed`,
      [AppToken, StorageUser],
      { subscribers: [QueryWatcher] },
    );
    try {
      const storage = new AppTokenStorage(database.dataSource);
      const key: TokenKey = { provider: 'github', userId: null };
      await storage.set(key, tokenOf('watched'));
      expect(inserted).toEqual([
        expect.objectContaining({ token: tokenOf('watched') }),
      ]);
      seen.length = 0;
      expect(await storage.get(key)).toEqual(tokenOf('watched'));
      expect(seen).toEqual([expect.stringMatching(/^SELECT .*"token"/)]);
    } finally {
      await database.close();
    }
  });

  it('forEntity returns one injectable class per entity', () => {
    expect(TypeOrmTokenStorage.forEntity(AppToken)).toBe(AppTokenStorage);
    expect(AppTokenStorage.name).toBe('TypeOrmTokenStorage<AppToken>');
    expect(TypeOrmTokenStorage.forEntity(UnregisteredToken)).not.toBe(
      AppTokenStorage,
    );
  });
});

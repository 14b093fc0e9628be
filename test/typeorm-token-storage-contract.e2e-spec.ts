import KeyvRedis from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { CachedTokenStorage, MemoryTokenStorage } from 'nest-dance';
import { OAuthTokenEntity, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { Entity } from 'typeorm';
import {
  DATABASE_KINDS,
  DatabaseKind,
  REDIS_URL,
  TestDatabase,
  openTestDatabase,
} from './support/databases';
import {
  StorageFactory,
  describeTokenStorageContract,
} from './support/token-storage.contract';

/** The suite's own table (and PostgreSQL schema / MariaDB database / SQLite file). */
@Entity('nd_contract_token')
class ContractToken extends OAuthTokenEntity {}

const NAMESPACE = 'nd_contract';
const ContractTokenStorage = TypeOrmTokenStorage.forEntity(ContractToken);

/** One DataSource per database for the whole file; each storage under test starts from an empty table. */
const databases = new Map<DatabaseKind, Promise<TestDatabase>>();
let redisCache: Cache | undefined;

function database(kind: DatabaseKind): Promise<TestDatabase> {
  let opened = databases.get(kind);
  if (!opened) {
    opened = openTestDatabase(kind, NAMESPACE, [ContractToken]);
    databases.set(kind, opened);
  }
  return opened;
}

async function emptyTypeOrmStorage(kind: DatabaseKind) {
  const { dataSource } = await database(kind);
  await dataSource.getRepository(ContractToken).clear();
  return new ContractTokenStorage(dataSource);
}

const typeOrmStorages: StorageFactory[] = DATABASE_KINDS.map((kind) => [
  `TypeOrmTokenStorage on ${kind}`,
  async () => ({
    storage: await emptyTypeOrmStorage(kind),
    run: (call) => call(),
    close: async () => undefined,
  }),
]);

const cachedStorages: StorageFactory[] = [
  [
    'CachedTokenStorage over MemoryTokenStorage, in-memory cache-manager',
    async () => {
      // No store: cache-manager's own in-memory Keyv, which hands back the stored object itself.
      const cache = createCache();
      return {
        storage: new CachedTokenStorage(new MemoryTokenStorage(), cache),
        run: (call) => call(),
        close: async () => undefined,
      };
    },
  ],
  [
    'CachedTokenStorage over TypeOrmTokenStorage on postgres, Redis cache',
    async () => {
      const cache = (redisCache ??= createCache({
        stores: [
          new Keyv({
            store: new KeyvRedis(REDIS_URL),
            namespace: `${NAMESPACE}-${process.pid}`,
          }),
        ],
      }));
      await cache.clear();
      return {
        storage: new CachedTokenStorage(
          await emptyTypeOrmStorage('postgres'),
          cache,
          { timeout: 1_000 },
        ),
        run: (call) => call(),
        close: async () => undefined,
      };
    },
  ],
];

afterAll(async () => {
  await redisCache?.disconnect();
  for (const opened of databases.values()) await (await opened).close();
});

describeTokenStorageContract([...typeOrmStorages, ...cachedStorages]);

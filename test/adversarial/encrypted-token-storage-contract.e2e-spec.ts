import { createCache } from 'cache-manager';
import {
  CachedTokenStorage,
  EncryptedTokenStorage,
  MemoryTokenStorage,
  SessionTokenStorage,
} from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { TestDatabase, openTestDatabase } from '../support/databases';
import {
  StorageFactory,
  describeTokenStorageContract,
} from '../support/token-storage.contract';
import {
  createUserContext,
  fakeRequestWithSession,
} from '../support/user-context';
import { AdvToken, newKey } from './support/token-table';

/** Two keys, so the contract also runs with a ring (the first seals). */
const encryption = { keys: [newKey(), newKey()] };
let sqlite: Promise<TestDatabase> | undefined;

afterAll(async () => {
  await (await sqlite)?.close();
});

/** EncryptedTokenStorage keeps the same contract as the storage it wraps. */
describeTokenStorageContract([
  [
    'EncryptedTokenStorage over MemoryTokenStorage',
    async () => ({
      storage: new EncryptedTokenStorage(new MemoryTokenStorage(), encryption),
      run: (call) => call(),
      close: async () => undefined,
    }),
  ],
  [
    'EncryptedTokenStorage over TypeOrmTokenStorage on SQLite',
    async () => {
      sqlite ??= openTestDatabase('sqlite-memory', 'nd_adv_contract', [
        AdvToken,
      ]);
      const { dataSource } = await sqlite;
      await dataSource.getRepository(AdvToken).clear();
      return {
        storage: new EncryptedTokenStorage(
          new TypeOrmTokenStorage(dataSource, AdvToken),
          encryption,
        ),
        run: (call) => call(),
        close: async () => undefined,
      };
    },
  ],
  [
    'EncryptedTokenStorage over SessionTokenStorage',
    async () => {
      const context = createUserContext();
      const request = fakeRequestWithSession();
      return {
        storage: new EncryptedTokenStorage(
          new SessionTokenStorage(context),
          encryption,
        ),
        run: (call) => context.runWithRequest(request, call),
        close: async () => undefined,
        perBrowser: true,
      };
    },
  ],
  [
    'EncryptedTokenStorage over CachedTokenStorage over MemoryTokenStorage',
    async () => ({
      storage: new EncryptedTokenStorage(
        new CachedTokenStorage(new MemoryTokenStorage(), createCache()),
        encryption,
      ),
      run: (call) => call(),
      close: async () => undefined,
    }),
  ],
] satisfies StorageFactory[]);

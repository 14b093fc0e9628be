import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BaseTokenStorage,
  CachedTokenStorage,
  EncryptedTokenStorage,
  MemoryTokenStorage,
  OAuthToken,
  SessionTokenStorage,
  TokenListingUnsupportedError,
  listExpiringTokens,
  listTokens,
} from 'nest-dance';
import { createCache } from 'cache-manager';
import { randomBytes } from 'node:crypto';
import { FileTokenStorage } from './fixtures/file-token.storage';
import {
  describeTokenStorageContract,
  StorageFactory,
} from './support/token-storage.contract';
import {
  createUserContext,
  fakeRequestWithSession,
} from './support/user-context';

const storages: StorageFactory[] = [
  [
    'MemoryTokenStorage',
    async () => ({
      storage: new MemoryTokenStorage(),
      run: (call) => call(),
      close: async () => undefined,
    }),
  ],
  [
    'SessionTokenStorage (one session)',
    async () => {
      const context = createUserContext();
      const request = fakeRequestWithSession();
      return {
        storage: new SessionTokenStorage(context),
        run: (call) => context.runWithRequest(request, call),
        close: async () => undefined,
        perBrowser: true,
      };
    },
  ],
  [
    'FileTokenStorage (the README custom storage)',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'nest-dance-files-'));
      return {
        storage: new FileTokenStorage(directory),
        run: (call) => call(),
        close: () => rm(directory, { recursive: true, force: true }),
      };
    },
  ],
];

describeTokenStorageContract(storages);

/** A custom storage written before listing existed: get, set and delete only. */
class LegacyStorage extends BaseTokenStorage {
  async get(): Promise<OAuthToken | null> {
    return null;
  }
  async set(): Promise<void> {}
  async delete(): Promise<void> {}
}

describe('a custom storage without list()', () => {
  const key = randomBytes(32).toString('base64');
  it.each([
    ['itself', new LegacyStorage()],
    [
      'behind the cache',
      new CachedTokenStorage(new LegacyStorage(), createCache()),
    ],
    [
      'behind encryption',
      new EncryptedTokenStorage(new LegacyStorage(), { keys: [key] }),
    ],
  ])(
    'gets an error naming the method and the class (%s)',
    async (_, storage) => {
      const listing = listTokens(storage, { userId: 'alice' });
      await expect(listing).rejects.toThrow(TokenListingUnsupportedError);
      await expect(listing).rejects.toThrow(
        /LegacyStorage does not implement TokenStorage\.list\(\{ userId, provider \}\)/,
      );
      await expect(
        listExpiringTokens(storage, { before: 1, limit: 1 }),
      ).rejects.toThrow(
        /LegacyStorage does not implement TokenStorage\.listExpiring/,
      );
    },
  );
});

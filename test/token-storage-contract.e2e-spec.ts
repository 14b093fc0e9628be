import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTokenStorage, SessionTokenStorage } from 'nest-dance';
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

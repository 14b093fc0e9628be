import { OAuthToken, TokenStorage } from 'nest-dance';

/** A storage under test, and how to run calls against it (e.g. inside a request). */
export interface StorageUnderTest {
  storage: TokenStorage;
  /** Runs a storage call where the storage expects to run (a request for session storage). */
  run<T>(call: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One row of the contract matrix: a name and a way to make a fresh storage. */
export type StorageFactory = [
  name: string,
  create: () => Promise<StorageUnderTest>,
];

const tokenFor = (label: string): OAuthToken => ({
  access_token: `at-${label}`,
  token_type: 'Bearer',
  refresh_token: `rt-${label}`,
  expires_in: 3600,
  expires_at: 2_000_000_000,
  scope: 'read write',
  id_token: `id-${label}`,
  provider_extra: { nested: [1, 2, label] },
});

/**
 * The storage contract every TokenStorage must keep: get/set/delete, isolation by
 * provider, user and account, overwrite, copies, delete of a missing token.
 */
export function describeTokenStorageContract(
  factories: StorageFactory[],
): void {
  describe.each(factories)('TokenStorage contract: %s', (_name, create) => {
    let subject: StorageUnderTest;
    const get = (provider: string, userId: string | null, accountId?: string) =>
      subject.run(() => subject.storage.get({ provider, userId, accountId }));
    const set = (
      provider: string,
      userId: string | null,
      token: OAuthToken,
      accountId?: string,
    ) =>
      subject.run(() =>
        subject.storage.set({ provider, userId, accountId }, token),
      );
    const del = (provider: string, userId: string | null, accountId?: string) =>
      subject.run(() =>
        subject.storage.delete({ provider, userId, accountId }),
      );

    beforeEach(async () => {
      subject = await create();
    });
    afterEach(async () => {
      await subject.close();
    });

    it('returns null when nothing is stored', async () => {
      expect(await get('github', 'alice')).toBeNull();
    });

    it('returns what was stored, extra fields included', async () => {
      await set('github', 'alice', tokenFor('a'));
      expect(await get('github', 'alice')).toEqual(tokenFor('a'));
    });

    it('overwrites the token of the same owner', async () => {
      await set('github', 'alice', tokenFor('old'));
      await set('github', 'alice', tokenFor('new'));
      expect(await get('github', 'alice')).toEqual(tokenFor('new'));
    });

    it('keeps users, providers, accounts and the userless token apart', async () => {
      await set('github', 'alice', tokenFor('alice-gh'));
      await set('github', 'bob', tokenFor('bob-gh'));
      await set('google', 'alice', tokenFor('alice-google'));
      await set('github', null, tokenFor('nobody'));
      await set('github', 'alice', tokenFor('alice-work'), 'work');
      expect(await get('github', 'alice')).toEqual(tokenFor('alice-gh'));
      expect(await get('github', 'bob')).toEqual(tokenFor('bob-gh'));
      expect(await get('google', 'alice')).toEqual(tokenFor('alice-google'));
      expect(await get('github', null)).toEqual(tokenFor('nobody'));
      expect(await get('github', 'alice', 'work')).toEqual(
        tokenFor('alice-work'),
      );
      expect(await get('google', 'bob')).toBeNull();
      expect(await get('github', 'sue')).toBeNull();
    });

    it('does not confuse ids that differ only by separators or quotes', async () => {
      await set('a|b', 'c', tokenFor('one'));
      await set('a', 'b|c', tokenFor('two'));
      await set('github', "o'brien; DROP TABLE x; --", tokenFor('three'));
      expect(await get('a|b', 'c')).toEqual(tokenFor('one'));
      expect(await get('a', 'b|c')).toEqual(tokenFor('two'));
      expect(await get('github', "o'brien; DROP TABLE x; --")).toEqual(
        tokenFor('three'),
      );
      expect(await get('a', 'b')).toBeNull();
    });

    it('deletes only the token asked for', async () => {
      await set('github', 'alice', tokenFor('alice'));
      await set('github', 'bob', tokenFor('bob'));
      await del('github', 'bob');
      expect(await get('github', 'bob')).toBeNull();
      expect(await get('github', 'alice')).toEqual(tokenFor('alice'));
    });

    it('writes and deletes of the userless token leave every user token alone', async () => {
      // Flask-Dance's SQLAlchemy storage deleted every user's row on an anonymous set.
      await set('github', 'alice', tokenFor('alice'));
      await set('github', null, tokenFor('nobody'));
      await set('github', null, tokenFor('nobody-again'));
      expect(await get('github', 'alice')).toEqual(tokenFor('alice'));
      await del('github', null);
      expect(await get('github', null)).toBeNull();
      expect(await get('github', 'alice')).toEqual(tokenFor('alice'));
    });

    it('treats deleting a missing token as done', async () => {
      await expect(del('github', 'nobody')).resolves.toBeUndefined();
      expect(await get('github', 'nobody')).toBeNull();
    });

    it('hands out copies: mutating a returned token changes nothing stored', async () => {
      await set('github', 'alice', tokenFor('a'));
      const first = (await get('github', 'alice'))!;
      first.access_token = 'tampered';
      (first.provider_extra as { nested: unknown[] }).nested.push('x');
      expect(await get('github', 'alice')).toEqual(tokenFor('a'));
    });

    it('is not changed by mutating the token after storing it', async () => {
      const token = tokenFor('a');
      await set('github', 'alice', token);
      token.access_token = 'changed-after-set';
      expect(await get('github', 'alice')).toEqual(tokenFor('a'));
    });
  });
}

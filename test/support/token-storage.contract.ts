import {
  OAuthToken,
  StoredToken,
  TokenKey,
  TokenListingUnsupportedError,
  TokenStorage,
  listExpiringTokens,
  listTokens,
} from 'nest-dance';

/** A storage under test, and how to run calls against it (e.g. inside a request). */
export interface StorageUnderTest {
  storage: TokenStorage;
  /** Runs a storage call where the storage expects to run (a request for session storage). */
  run<T>(call: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Set for storages that hold one browser's tokens (the session): no process sees every
   * owner, so `listExpiring` must refuse with `TokenListingUnsupportedError`.
   */
  perBrowser?: true;
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

    const sorted = (entries: StoredToken[]) =>
      entries
        .map((entry) => ({ key: { ...entry.key }, token: entry.token }))
        .sort((a, b) =>
          JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
        );
    const list = (userId: string | null, provider?: string) =>
      subject.run(() =>
        listTokens(
          subject.storage,
          provider === undefined ? { userId } : { userId, provider },
        ),
      );
    const entry = (
      provider: string,
      userId: string | null,
      label: string,
      accountId?: string,
    ) => {
      const key: TokenKey = { provider, userId };
      if (accountId !== undefined) key.accountId = accountId;
      return { key, token: tokenFor(label) };
    };

    it('lists every token of one user, with keys, and of one provider when asked', async () => {
      await set('github', 'alice', tokenFor('alice-gh'));
      await set('github', 'alice', tokenFor('alice-work'), 'work|1');
      await set('google', 'alice', tokenFor('alice-google'));
      await set('github', 'bob', tokenFor('bob-gh'));
      await set('github', null, tokenFor('nobody'));
      await set('github', 'alice|x', tokenFor('lookalike'));
      expect(sorted(await list('alice'))).toEqual(
        sorted([
          entry('github', 'alice', 'alice-gh'),
          entry('github', 'alice', 'alice-work', 'work|1'),
          entry('google', 'alice', 'alice-google'),
        ]),
      );
      expect(sorted(await list('alice', 'github'))).toEqual(
        sorted([
          entry('github', 'alice', 'alice-gh'),
          entry('github', 'alice', 'alice-work', 'work|1'),
        ]),
      );
      expect(sorted(await list(null))).toEqual([
        entry('github', null, 'nobody'),
      ]);
      expect(await list('sue')).toEqual([]);
      await del('github', 'alice', 'work|1');
      expect(sorted(await list('alice', 'github'))).toEqual([
        entry('github', 'alice', 'alice-gh'),
      ]);
    });

    it('lists copies: mutating a listed token changes nothing stored', async () => {
      await set('github', 'alice', tokenFor('a'));
      const [listed] = await list('alice');
      listed.token.access_token = 'tampered';
      (listed.token.provider_extra as { nested: unknown[] }).nested.push('x');
      expect(await get('github', 'alice')).toEqual(tokenFor('a'));
    });

    it('lists tokens of every owner expiring before a time, soonest first, up to a limit', async () => {
      const expiring = (at: number) => ({
        ...tokenFor(`t${at}`),
        expires_at: at,
      });
      await set('github', 'alice', expiring(1_000));
      await set('github', 'bob', expiring(3_000));
      await set('google', 'alice', expiring(2_000));
      await set('github', null, expiring(500), 'ci');
      await set('github', 'sue', expiring(9_000));
      const { expires_at: _none, ...forever } = tokenFor('forever');
      await set('gitlab', 'alice', forever);
      const due = subject.run(() =>
        listExpiringTokens(subject.storage, { before: 3_000, limit: 10 }),
      );
      if (subject.perBrowser) {
        await expect(due).rejects.toThrow(TokenListingUnsupportedError);
        await expect(due).rejects.toThrow(/listExpiring/);
        return;
      }
      expect((await due).map((found) => found.token.expires_at)).toEqual([
        500, 1_000, 2_000,
      ]);
      expect((await due)[0].key).toEqual({
        provider: 'github',
        userId: null,
        accountId: 'ci',
      });
      const firstTwo = await subject.run(() =>
        listExpiringTokens(subject.storage, { before: 3_000, limit: 2 }),
      );
      expect(firstTwo.map((found) => found.key.userId)).toEqual([
        null,
        'alice',
      ]);
      const fromThousand = await subject.run(() =>
        listExpiringTokens(subject.storage, {
          before: 3_000,
          limit: 10,
          after: 1_000,
        }),
      );
      expect(fromThousand.map((found) => found.token.expires_at)).toEqual([
        1_000, 2_000,
      ]);
    });

    it('is not changed by mutating the token after storing it', async () => {
      const token = tokenFor('a');
      await set('github', 'alice', token);
      token.access_token = 'changed-after-set';
      expect(await get('github', 'alice')).toEqual(tokenFor('a'));
    });
  });
}

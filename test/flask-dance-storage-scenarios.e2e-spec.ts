import { Test, TestingModule } from '@nestjs/testing';
import {
  Blueprint,
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthConsumerModuleOptions,
  OAuthUserContext,
  TOKEN_STORAGE,
  UserRequiredError,
  oauth2,
} from 'nest-dance';
import { fakeRequestWithSession } from './support/user-context';

/**
 * Flask-Dance's storage scenarios 3, 4, 8, 9, 10 and 11 (shared/reference/flask-dance.md),
 * at the level of the storage and the user context, with the memory storage.
 */
describe('Flask-Dance storage scenarios (storage + user context)', () => {
  let moduleRef: TestingModule;
  let github: Blueprint;
  let storage: MemoryTokenStorage;
  let context: OAuthUserContext;
  let configuredUser: { id: string } | null;

  async function boot(options: Partial<OAuthConsumerModuleOptions>) {
    moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          storage: MemoryTokenStorage,
          publicUrl: 'http://127.0.0.1:3000',
          blueprints: [
            oauth2({
              name: 'github',
              clientId: 'id',
              authorizationUrl: 'https://github.example/authorize',
              tokenUrl: 'https://github.example/token',
            }),
          ],
          ...options,
        }),
      ],
    }).compile();
    await moduleRef.init();
    github = moduleRef.get(BlueprintRegistry).get('github');
    storage = moduleRef.get(TOKEN_STORAGE);
    context = moduleRef.get(OAuthUserContext);
  }

  /** Runs `fn` as a request whose user is `user` (null: logged out). */
  const inRequestOf = <T>(user: { id: string } | null, fn: () => Promise<T>) =>
    context.runWithRequest(fakeRequestWithSession(user ?? undefined), fn);

  afterEach(() => moduleRef.close());

  it('3. a fixed user: the stored token belongs to that user', async () => {
    await boot({ user: () => ({ id: 'alice' }) });
    await inRequestOf(null, () =>
      github.setToken({ access_token: 'alice-token' }),
    );
    expect(await storage.get({ provider: 'github', userId: 'alice' })).toEqual({
      access_token: 'alice-token',
    });
    expect(await storage.get({ provider: 'github', userId: null })).toBeNull();
    expect(storage.size).toBe(1);
  });

  it('4. no user given: user rows stay hidden; switching the configured user switches tokens', async () => {
    configuredUser = null;
    await boot({ user: () => configuredUser, userRequired: false });
    await github.setToken({ access_token: 'alice-token' }, { userId: 'alice' });
    await github.setToken({ access_token: 'bob-token' }, { userId: 'bob' });
    expect(await inRequestOf(null, () => github.getToken())).toBeNull();

    const readAs = async (user: { id: string }) => {
      configuredUser = user;
      return (
        (await inRequestOf(null, () => github.getToken()))?.access_token ?? null
      );
    };
    expect(await readAs({ id: 'alice' })).toBe('alice-token');
    expect(await readAs({ id: 'bob' })).toBe('bob-token');
    expect(await readAs({ id: 'alice' })).toBe('alice-token');
    expect(await readAs({ id: 'sue' })).toBeNull();

    configuredUser = { id: 'bob' };
    await inRequestOf(null, () => github.deleteToken());
    expect(await storage.get({ provider: 'github', userId: 'bob' })).toBeNull();
    expect(await storage.get({ provider: 'github', userId: 'alice' })).toEqual({
      access_token: 'alice-token',
    });
  });

  it('8. each request gets its own user token; a third user none; logged out with a user required: a clear error', async () => {
    await boot({ user: (request) => (request as { user?: unknown }).user });
    await github.setToken({ access_token: 'alice-token' }, { userId: 'alice' });
    await github.setToken({ access_token: 'bob-token' }, { userId: 'bob' });
    const [alice, bob, carol] = await Promise.all([
      inRequestOf({ id: 'alice' }, () => github.getToken()),
      inRequestOf({ id: 'bob' }, () => github.getToken()),
      inRequestOf({ id: 'carol' }, () => github.getToken()),
    ]);
    expect(alice?.access_token).toBe('alice-token');
    expect(bob?.access_token).toBe('bob-token');
    expect(carol).toBeNull();
    await expect(inRequestOf(null, () => github.getToken())).rejects.toThrow(
      UserRequiredError,
    );
    await expect(
      inRequestOf(null, () => github.setToken({ access_token: 'x' })),
    ).rejects.toThrow('Cannot set OAuth token without an associated user');
    await expect(inRequestOf(null, () => github.deleteToken())).rejects.toThrow(
      'Cannot delete OAuth token without an associated user',
    );
    expect(storage.size).toBe(2);
  });

  it('8b. runAs(user) for jobs and queues picks that user, outside any request', async () => {
    await boot({ user: (request) => (request as { user?: unknown }).user });
    await github.setToken({ access_token: 'alice-token' }, { userId: 'alice' });
    expect(
      (await context.runAs({ id: 'alice' }, () => github.getToken()))
        ?.access_token,
    ).toBe('alice-token');
    await expect(context.runAs(null, () => github.getToken())).rejects.toThrow(
      UserRequiredError,
    );
    await expect(github.getToken()).rejects.toThrow(UserRequiredError);
  });

  it('9. userRequired false and anonymous: no error, no token', async () => {
    await boot({
      user: (request) => (request as { user?: unknown }).user,
      userRequired: false,
    });
    await github.setToken({ access_token: 'alice-token' }, { userId: 'alice' });
    await expect(
      inRequestOf(null, () => github.getToken()),
    ).resolves.toBeNull();
    await expect(inRequestOf(null, () => github.isAuthorized())).resolves.toBe(
      false,
    );
  });

  it('10. a userless row is returned to anonymous callers; deleting it empties the storage', async () => {
    await boot({ userRequired: false });
    await github.setToken({ access_token: 'app-token' }, { userId: null });
    expect(
      (await inRequestOf(null, () => github.getToken()))?.access_token,
    ).toBe('app-token');
    await inRequestOf(null, () => github.deleteToken());
    expect(storage.size).toBe(0);
  });

  it('10b. an anonymous set touches only the userless row (Flask-Dance wiped every user row)', async () => {
    await boot({ userRequired: false });
    await github.setToken({ access_token: 'alice-token' }, { userId: 'alice' });
    await inRequestOf(null, () =>
      github.setToken({ access_token: 'app-token' }),
    );
    expect(storage.size).toBe(2);
    expect((await github.getToken({ userId: 'alice' }))?.access_token).toBe(
      'alice-token',
    );
  });

  it('11. a second set for the same owner overwrites: one token, the new one', async () => {
    await boot({ user: () => ({ id: 'alice' }) });
    await inRequestOf(null, () => github.setToken({ access_token: 'first' }));
    await inRequestOf(null, () => github.setToken({ access_token: 'second' }));
    expect(storage.size).toBe(1);
    expect((await github.getToken({ userId: 'alice' }))?.access_token).toBe(
      'second',
    );
  });

  it('anonymous users are no user: a user object flagged isAnonymous counts as logged out', async () => {
    await boot({ user: () => ({ id: 'guest', isAnonymous: true }) });
    await expect(inRequestOf(null, () => github.getToken())).rejects.toThrow(
      UserRequiredError,
    );
  });

  it('a user without an id is a configuration error that names the fix', async () => {
    await boot({ user: () => ({ name: 'no id' }) });
    await expect(inRequestOf(null, () => github.getToken())).rejects.toThrow(
      /has no id: .*userId: \(user\) => user.sub/,
    );
  });
});

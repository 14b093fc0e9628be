import { Controller, Get, Injectable } from '@nestjs/common';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthToken,
  RequireToken,
  SessionTokenStorage,
  TokenKey,
  TokenStorage,
  serializeTokenKey,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { TestDatabase, openTestDatabase } from '../support/databases';
import { AllLevelsLogger } from './support/log-capture';
import { SecureApp, dance, signIn, startSecureApp } from './support/secure-app';
import { AdvToken, advStorage } from './support/token-table';

/** The README's first app: a route that calls the provider with the visitor's token. */
@Controller('repos')
class ReposController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get()
  @RequireToken('local')
  list(): Promise<unknown> {
    return this.local.fetchJson('/api/user');
  }
}

/** A custom storage as an app writes one: keyed persistence, nothing per session. */
@Injectable()
class MapTokenStorage implements TokenStorage {
  static readonly tokens = new Map<string, OAuthToken>();
  async get(key: TokenKey): Promise<OAuthToken | null> {
    return MapTokenStorage.tokens.get(serializeTokenKey(key)) ?? null;
  }
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    MapTokenStorage.tokens.set(serializeTokenKey(key), token);
  }
  async delete(key: TokenKey): Promise<void> {
    MapTokenStorage.tokens.delete(serializeTokenKey(key));
  }
}

/**
 * Signed-out visitors never share a token: a user is required by default for every storage
 * that is not per session (memory, TypeORM, custom), so the README's first app no longer hands
 * visitor A's token to visitor B; SessionTokenStorage keeps working without users, and userless
 * tokens elsewhere are an explicit `userRequired: false`, warned about at start-up.
 */
describe('Adversarial: safe defaults for signed-out visitors', () => {
  let server: LocalAuthorizationServer;
  let sqlite: TestDatabase;
  let app: SecureApp | undefined;
  let logs: AllLevelsLogger;

  beforeAll(async () => {
    [server, sqlite] = await Promise.all([
      LocalAuthorizationServer.start(),
      openTestDatabase('sqlite-memory', 'nd_adv_defaults', [AdvToken]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), sqlite?.close()]);
  });
  beforeEach(async () => {
    logs = new AllLevelsLogger();
    MapTokenStorage.tokens.clear();
    await sqlite.dataSource.getRepository(AdvToken).clear();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = (options: Parameters<typeof startSecureApp>[1] = {}) =>
    startSecureApp(server, {
      logger: logs,
      controllers: [ReposController],
      ...options,
    }).then((started) => (app = started));
  const warnings = () =>
    logs
      .of('warn')
      .map((line) => line.text)
      .join('\n');

  describe.each([
    ['MemoryTokenStorage', () => MemoryTokenStorage],
    ['TypeOrmTokenStorage', () => advStorage(sqlite.dataSource)],
    ['a custom storage', () => MapTokenStorage],
  ])('%s, no user option (the README first app)', (_name, storageOf) => {
    it("issue 13 #5: visitor B's GET /repos never uses the token of visitor A's anonymous dance", async () => {
      await start({ storage: storageOf() });
      const visitorA = app!.browser();
      const danced = await dance(visitorA, server, { user: 'visitor-a' });
      // Refused, politely: back to the app, nothing stored.
      expect(danced.status).toBe(302);
      expect(
        await app!.storage.get({ provider: 'local', userId: null }),
      ).toBeNull();
      const visitorB = app!.browser();
      const repos = await visitorB
        .get('/repos')
        .set('accept', 'application/json');
      expect(repos.status).toBe(401);
      expect(repos.body).toMatchObject({ error: 'UserRequired' });
      expect(JSON.stringify(repos.body)).not.toContain('visitor-a');
      expect(warnings()).not.toMatch(/userRequired: false/);
    });

    it('issue 13 #5: a signed-in user still connects and uses their own token', async () => {
      await start({ storage: storageOf() });
      const alice = app!.browser();
      await signIn(alice, 'alice');
      expect((await dance(alice, server, { user: 'alice-acct' })).status).toBe(
        302,
      );
      const repos = await alice
        .get('/repos')
        .set('accept', 'application/json')
        .expect(200);
      expect(repos.body.sub).toBe('alice-acct');
    });
  });

  it('issue 13 #5: userRequired: false is an explicit opt-in, warned about at start-up', async () => {
    await start({ storage: MemoryTokenStorage, userRequired: false });
    expect(warnings()).toMatch(
      /userRequired: false.*'local'.*MemoryTokenStorage.*every visitor without a user/s,
    );
    await dance(app!.browser(), server, { user: 'the-shared-account' });
    const repos = await app!
      .browser()
      .get('/repos')
      .set('accept', 'application/json')
      .expect(200);
    expect(repos.body.sub).toBe('the-shared-account');
  });

  it('issue 13 #5: SessionTokenStorage needs no user: each signed-out visitor has their own token', async () => {
    await start({ storage: SessionTokenStorage });
    const visitorA = app!.browser();
    expect((await dance(visitorA, server, { user: 'visitor-a' })).status).toBe(
      302,
    );
    const mine = await visitorA
      .get('/repos')
      .set('accept', 'application/json')
      .expect(200);
    expect(mine.body.sub).toBe('visitor-a');
    const visitorB = app!.browser();
    const theirs = await visitorB
      .get('/repos')
      .set('accept', 'application/json')
      .expect(401);
    expect(theirs.body.error).toBe('TokenRequired');
    expect(warnings()).not.toMatch(/userRequired/);
  });
});

import { Injectable } from '@nestjs/common';
import {
  ConnectionEvent,
  OAuthConnections,
  OAuthEvents,
  OAuthToken,
  TokenListingUnsupportedError,
  TokenMissingError,
  BaseTokenStorage,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuthTokenEntity, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { Entity } from 'typeorm';
import {
  DanceApp,
  DanceAppOptions,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';
import { TestDatabase, openTestDatabase } from '../support/databases';

@Entity('nd_connections_token')
class ConnectionsToken extends OAuthTokenEntity {}

let database: TestDatabase;

/** TypeORM on PostgreSQL, with the suite's own DataSource. */
@Injectable()
class PostgresConnectionsStorage extends TypeOrmTokenStorage {
  constructor() {
    super(database.dataSource, ConnectionsToken);
  }
}

/** A custom storage from before listing existed. */
@Injectable()
class NoListStorage extends BaseTokenStorage {
  private readonly tokens = new Map<string, OAuthToken>();
  async get(key: Parameters<BaseTokenStorage['get']>[0]) {
    return this.tokens.get(this.keyToString(key)) ?? null;
  }
  async set(key: Parameters<BaseTokenStorage['get']>[0], token: OAuthToken) {
    this.tokens.set(this.keyToString(key), token);
  }
  async delete(key: Parameters<BaseTokenStorage['get']>[0]) {
    this.tokens.delete(this.keyToString(key));
  }
}

const profile = (info: Record<string, unknown>) => ({
  id: String(info.sub),
  // Undefined without a name claim: then nest-dance asks the userinfo endpoint.
  name: typeof info.name === 'string' ? `${info.name} at local` : undefined,
  raw: info,
});

/**
 * A user's connections through the real dance against LocalAuthorizationServer: several
 * accounts of one provider, their names, re-login, disconnect, events, dead grants and
 * passing failures.
 */
describe('OAuthConnections', () => {
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;
  let events: ConnectionEvent[];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({
      rotateRefreshTokens: true,
    });
    database = await openTestDatabase('postgres', 'nd_connections', [
      ConnectionsToken,
    ]);
  });
  afterAll(async () => {
    await server.stop();
    await database.close();
  });
  beforeEach(async () => {
    events = [];
    await server.clearScriptedTokenResponses();
    await database.dataSource.getRepository(ConnectionsToken).clear();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: DanceAppOptions = {}, multiple = true) {
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        localBlueprint(server, { profile, multipleAccounts: multiple }),
      ],
      hooks: { connection: (event) => void events.push(event) },
      ...options,
    });
    return app;
  }

  async function signedIn(name: string) {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name }).expect(201);
    return browser;
  }

  const connections = () => app!.app.get(OAuthConnections);

  it.each([
    ['MemoryTokenStorage', undefined],
    ['TypeOrmTokenStorage on PostgreSQL', PostgresConnectionsStorage],
  ])(
    'two provider accounts of one user through the dance (%s): both listed with names; re-login updates; disconnect leaves the other',
    async (_name, storage) => {
      await start(storage ? { storage } : {});
      const alice = await signedIn('alice');
      await walkDance(alice, server, { user: 'alice-home' });
      await walkDance(alice, server, { user: 'alice-work' });

      const listed = await connections().list({ userId: 'alice' });
      expect(listed).toHaveLength(2);
      expect(listed.map((c) => [c.provider, c.accountId, c.account])).toEqual([
        [
          'local',
          'alice-home',
          { id: 'alice-home', name: 'alice-home at local' },
        ],
        [
          'local',
          'alice-work',
          { id: 'alice-work', name: 'alice-work at local' },
        ],
      ]);
      for (const connection of listed) {
        expect(connection.status).toBe('active');
        expect(connection.scopes).toEqual([
          'openid',
          'profile',
          'email',
          'offline_access',
        ]);
        expect(connection.connectedAt).toBeInstanceOf(Date);
        expect(connection.expiresAt!.getTime()).toBeGreaterThan(Date.now());
        expect(JSON.stringify(connection)).not.toMatch(/access_token|refresh/);
      }
      // bob sees none of them.
      expect(await connections().list({ userId: 'bob' })).toEqual([]);

      // Logging in again with the first account updates its connection: still two.
      const firstConnectedAt = listed[0].connectedAt!;
      const before = (await app!.blueprint().getToken({
        userId: 'alice',
        accountId: 'alice-home',
      }))!;
      await walkDance(alice, server, { user: 'alice-home' });
      const again = await connections().list({ userId: 'alice' });
      expect(again.map((c) => c.accountId)).toEqual([
        'alice-home',
        'alice-work',
      ]);
      expect(again[0].connectedAt).toEqual(firstConnectedAt);
      expect(again[0].updatedAt!.getTime()).toBeGreaterThanOrEqual(
        listed[0].updatedAt!.getTime(),
      );
      const after = (await app!.blueprint().getToken({
        userId: 'alice',
        accountId: 'alice-home',
      }))!;
      expect(after.access_token).not.toBe(before.access_token);
      if (storage) {
        expect(
          await database.dataSource.getRepository(ConnectionsToken).count(),
        ).toBe(2);
      }

      // Disconnecting one leaves the other.
      await connections().disconnect('local', 'alice-work', {
        userId: 'alice',
      });
      expect(
        (await connections().list({ userId: 'alice' })).map((c) => c.accountId),
      ).toEqual(['alice-home']);
      expect(
        await connections().get('local', {
          userId: 'alice',
          accountId: 'alice-home',
        }),
      ).toMatchObject({ status: 'active', account: { id: 'alice-home' } });

      // created, created, (re-login changed nothing but the token: no event), deleted.
      expect(events.map((e) => [e.type, e.accountId, e.userId])).toEqual([
        ['created', 'alice-home', 'alice'],
        ['created', 'alice-work', 'alice'],
        ['deleted', 'alice-work', 'alice'],
      ]);
      for (const event of events)
        expect(JSON.stringify({ ...event, blueprint: undefined })).not.toMatch(
          new RegExp(after.access_token),
        );
    },
  );

  it('concurrent dances of the same provider account make one row, not duplicates (PostgreSQL)', async () => {
    await start({ storage: PostgresConnectionsStorage });
    const browsers = await Promise.all(
      Array.from({ length: 6 }, () => signedIn('alice')),
    );
    await Promise.all(
      browsers.map((browser) =>
        walkDance(browser, server, { user: 'alice-work' }),
      ),
    );
    const rows = await database.dataSource
      .getRepository(ConnectionsToken)
      .find();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: 'alice',
      providerUserId: 'alice-work',
    });
    expect(await connections().list({ userId: 'alice' })).toHaveLength(1);
  });

  it('by default one account per provider: a second account replaces the first', async () => {
    await start({}, false);
    const alice = await signedIn('alice');
    await walkDance(alice, server, { user: 'alice-home' });
    await walkDance(alice, server, { user: 'alice-work' });
    const listed = await connections().list({ userId: 'alice' });
    expect(listed).toHaveLength(1);
    expect(listed[0].accountId).toBeUndefined();
    expect(listed[0].account).toEqual({
      id: 'alice-work',
      name: 'alice-work at local',
    });
    expect(events.map((e) => e.type)).toEqual(['created', 'updated']);
  });

  it('the current user is the default owner', async () => {
    await start();
    const alice = await signedIn('alice');
    await walkDance(alice, server, { user: 'alice-home' });
    const { OAuthUserContext } = await import('nest-dance');
    const context = app!.app.get(OAuthUserContext);
    const listed = await context.runAs({ id: 'alice' }, () =>
      connections().list(),
    );
    expect(listed.map((c) => c.accountId)).toEqual(['alice-home']);
  });

  it('a dead grant stays listed as reconnect-required; blueprints and RequireToken treat it as missing', async () => {
    await start({}, false);
    const alice = await signedIn('alice');
    await walkDance(alice, server, { user: 'alice' });
    const key = { provider: 'local', userId: 'alice' };
    const stored = (await app!.storage.get(key))!;
    await app!.storage.set(key, { ...stored, expires_at: 1 });
    await server.scriptTokenResponse({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'revoked' },
    });
    const response = await alice
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(401);
    expect(response.body.loginUrl).toMatch(/^\/login\/local/);
    const [dead] = await connections().list({ userId: 'alice' });
    expect(dead).toMatchObject({
      provider: 'local',
      status: 'reconnect-required',
      account: { id: 'alice' },
    });
    expect(await app!.blueprint().getToken({ userId: 'alice' })).toBeNull();
    expect(await app!.blueprint().isAuthorized({ userId: 'alice' })).toBe(
      false,
    );
    await expect(
      app!.blueprint().fetch('/api/user', { userId: 'alice' }),
    ).rejects.toThrow(TokenMissingError);
    await alice
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(401);
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'reconnect-required',
    ]);

    // Reconnecting makes it active again.
    await walkDance(alice, server, { user: 'alice' });
    expect(
      (await connections().get('local', { userId: 'alice' }))!.status,
    ).toBe('active');
    expect(events.map((e) => e.type).slice(-1)).toEqual(['updated']);
  });

  it('a passing failure is refresh-failing with a retry time, and active again after', async () => {
    await start({}, false);
    const alice = await signedIn('alice');
    await walkDance(alice, server, { user: 'alice' });
    const key = { provider: 'local', userId: 'alice' };
    const stored = (await app!.storage.get(key))!;
    await app!.storage.set(key, { ...stored, expires_at: 1 });
    expect(
      (await connections().get('local', { userId: 'alice' }))!.status,
    ).toBe('expired');
    await server.scriptTokenResponse({
      status: 503,
      body: { error: 'temporarily_unavailable' },
    });
    await alice
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(503);
    const failing = (await connections().get('local', { userId: 'alice' }))!;
    expect(failing.status).toBe('refresh-failing');
    expect(failing.lastError).toBe('unavailable');
    expect(failing.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    const failingEvent = events.find((e) => e.type === 'refresh-failing')!;
    expect(failingEvent.nextRetryAt).toEqual(failing.nextRetryAt);

    await new Promise((resolve) =>
      setTimeout(resolve, failing.nextRetryAt!.getTime() - Date.now() + 50),
    );
    await alice
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(200);
    const back = (await connections().get('local', { userId: 'alice' }))!;
    expect(back.status).toBe('active');
    expect(back.lastError).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'refresh-failing',
      'refreshed',
    ]);
  });

  it('events reach OAuthEvents listeners as connection.<type>', async () => {
    await start();
    const heard: string[] = [];
    const bus = app!.app.get(OAuthEvents);
    bus.on(
      'connection.created',
      (e) => void heard.push(`created:${e.accountId}`),
    );
    bus.on(
      'connection.deleted',
      (e) => void heard.push(`deleted:${e.accountId}`),
    );
    const alice = await signedIn('alice');
    await walkDance(alice, server, { user: 'alice-home' });
    await app!
      .blueprint()
      .deleteToken({ userId: 'alice', accountId: 'alice-home' });
    expect(heard).toEqual(['created:alice-home', 'deleted:alice-home']);
  });

  it('?account=new asks the provider for its account chooser (anotherAccountParams)', async () => {
    await start();
    const alice = await signedIn('alice');
    expect(
      app!.blueprint().loginUrlFor({ anotherAccount: true, next: '/' }),
    ).toBe('/login/local?account=new&next=%2F');
    const plain = await alice.get('/login/local').expect(302);
    expect(new URL(plain.headers.location).searchParams.get('prompt')).toBe(
      'consent',
    );
    const another = await alice.get('/login/local?account=new').expect(302);
    expect(new URL(another.headers.location).searchParams.get('prompt')).toBe(
      'select_account',
    );
    await app!.close();
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        localBlueprint(server, {
          profile,
          multipleAccounts: true,
          anotherAccountParams: { prompt: 'login consent' },
        }),
      ],
    });
    const bob = await signedIn('bob');
    const walk = await bob.get('/login/local?account=new').expect(302);
    expect(new URL(walk.headers.location).searchParams.get('prompt')).toBe(
      'login consent',
    );
  });

  it('a custom storage without list() gets an error naming the method', async () => {
    await start({ storage: NoListStorage }, false);
    await expect(connections().list({ userId: 'alice' })).rejects.toThrow(
      TokenListingUnsupportedError,
    );
    await expect(connections().list({ userId: 'alice' })).rejects.toThrow(
      /NoListStorage does not implement TokenStorage\.list/,
    );
    // get() reads one token and needs no listing.
    expect(await connections().get('local', { userId: 'alice' })).toBeNull();
  });
});

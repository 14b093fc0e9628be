import {
  EncryptedTokenStorage,
  InvalidOptionsError,
  OAuthToken,
  SessionTokenStorage,
  oauth2,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { DataSource } from 'typeorm';
import { TestDatabase, openTestDatabase } from '../support/databases';
import {
  SecureApp,
  callbackFor,
  dance,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';
import {
  AdvToken,
  advStorage,
  newKey,
  plantedToken,
  plantingBlueprint,
  rawRows,
} from './support/token-table';
import { TEST_PLATFORMS } from '../support/platform-app';

/** SQL and LIKE metacharacters, quotes, separators and odd text as user ids. */
const HOSTILE_USER_IDS = [
  "robert'); DROP TABLE nd_adv_token;--",
  "' OR '1'='1",
  '"; DELETE FROM nd_adv_token; --',
  '%',
  '_',
  'a%',
  '\\',
  "\\'; SELECT pg_sleep(5); --",
  'local|u:bob',
  '$1',
  ':ownerKey',
  'ユーザー 🙂',
  'x'.repeat(200),
];

/** The same as provider names (storage level: blueprint names refuse them, see below). */
const HOSTILE_PROVIDERS = [
  "gh'; DROP TABLE nd_adv_token;--",
  "x' OR 1=1 --",
  '%',
  '_',
  'a"b',
  'local|u:alice',
];

/**
 * The security checklist, part 3: one user never reaches another user's token, whatever the
 * route, parameter or header, and hostile ids reach real PostgreSQL and SQLite as plain data.
 */
const suite =
  'Adversarial: isolation between users and SQL metacharacters on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let postgres: TestDatabase;
  let sqlite: TestDatabase;
  let app: SecureApp | undefined;
  const keys = [newKey()];

  beforeAll(async () => {
    [server, postgres, sqlite] = await Promise.all([
      LocalAuthorizationServer.start(),
      openTestDatabase('postgres', 'nd_adv_iso', [AdvToken]),
      openTestDatabase('sqlite-memory', 'nd_adv_iso', [AdvToken]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), postgres?.close(), sqlite?.close()]);
  });
  beforeEach(async () => {
    await server.clearScriptedTokenResponses();
    await postgres.dataSource.getRepository(AdvToken).clear();
    await sqlite.dataSource.getRepository(AdvToken).clear();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe("User A never reaches user B's token, through any route or parameter", () => {
    async function twoUsers() {
      app = await startSecureApp(server, {
        platform,
        storage: advStorage(postgres.dataSource),
        encryption: { keys },
      });
      const alice = app.browser();
      const bob = app.browser();
      await signIn(alice, 'alice');
      await signIn(bob, 'bob');
      expect((await dance(alice, server, { user: 'alice-acct' })).status).toBe(
        302,
      );
      expect((await dance(bob, server, { user: 'bob-acct' })).status).toBe(302);
      const bobToken = await app
        .blueprint()
        .getToken({ userId: 'bob', refresh: false });
      return { alice, bob, bobToken: bobToken! };
    }

    const attackQueries = [
      '',
      '?userId=bob',
      '?user=bob&user_id=bob&id=bob&owner=bob',
      '?userId[]=bob&user[id]=bob',
      '?accountId=bob&provider=local&key=local%7Cu%3Abob',
      '?__proto__[id]=bob&constructor[prototype][id]=bob',
    ];

    it.each(attackQueries)(
      'GET /me/* with %j answers for alice only',
      async (query) => {
        const { alice } = await twoUsers();
        const account = await alice
          .get(`/me/provider-account${query}`)
          .set('x-user-id', 'bob')
          .set('x-forwarded-user', 'bob')
          .expect(200);
        expect(account.body.body.sub).toBe('alice-acct');
        const connection = await alice
          .get(`/me/connection${query}`)
          .expect(200);
        expect(connection.body.connected).toBe(true);
      },
    );

    it("alice's dance with user parameters stores her token, and bob's stays as it was", async () => {
      const { alice, bobToken } = await twoUsers();
      const start = await alice
        .get('/login/local?userId=bob&user=bob&user_id=bob')
        .set('x-user-id', 'bob')
        .expect(302);
      const callback = new URL(
        await server.completeAuthorization(start.headers.location, {
          user: 'alice-second',
        }),
      );
      callback.searchParams.set('userId', 'bob');
      await alice.get(pathOf(callback)).expect(302);
      const local = app!.blueprint();
      expect(await local.getToken({ userId: 'bob', refresh: false })).toEqual(
        bobToken,
      );
      const account = await alice.get('/me/provider-account').expect(200);
      expect(account.body.body.sub).toBe('alice-second');
    });

    it("bob's callback replayed in alice's browser is refused, and changes nothing", async () => {
      const { alice, bob, bobToken } = await twoUsers();
      const stolen = await callbackFor(bob, server, { user: 'bob-again' });
      await alice.get(pathOf(stolen)).expect(403);
      expect(
        await app!.blueprint().getToken({ userId: 'bob', refresh: false }),
      ).toEqual(bobToken);
      expect(
        (await alice.get('/me/provider-account').expect(200)).body.body.sub,
      ).toBe('alice-acct');
    });

    it('alice disconnecting deletes and revokes only her own token', async () => {
      const { alice, bob } = await twoUsers();
      await alice.post('/me/disconnect?userId=bob').expect(201);
      expect(
        (await alice.get('/me/connection').expect(200)).body.connected,
      ).toBe(false);
      expect(
        (await bob.get('/me/provider-account').expect(200)).body.body.sub,
      ).toBe('bob-acct');
    });

    it("an anonymous browser sees no one's token, whatever it asks for", async () => {
      await twoUsers();
      const anonymous = app!.browser();
      // A user is required (the default for a database storage): the app's route fails with
      // UserRequiredError instead of reading anyone's token, or the userless one.
      const connection = await anonymous
        .get('/me/connection?userId=alice')
        .set('x-user-id', 'alice')
        .expect(500);
      expect(connection.body).toEqual({
        statusCode: 500,
        message: 'Internal server error',
      });
    });

    it('session storage: after alice signs out on a shared browser, bob sees only his own token', async () => {
      app = await startSecureApp(server, {
        platform,
        storage: SessionTokenStorage,
        encryption: { keys },
      });
      const shared = app.browser();
      await signIn(shared, 'alice');
      await dance(shared, server, { user: 'alice-acct' });
      expect(
        (await shared.get('/me/connection').expect(200)).body.connected,
      ).toBe(true);
      await shared.post('/auth/signout').expect(201);
      await signIn(shared, 'bob');
      expect(
        (await shared.get('/me/connection').expect(200)).body.connected,
      ).toBe(false);
      await dance(shared, server, { user: 'bob-acct' });
      expect(
        (await shared.get('/me/provider-account').expect(200)).body.body.sub,
      ).toBe('bob-acct');
    });
  });

  describe.each([
    ['PostgreSQL', () => postgres.dataSource],
    ['SQLite', () => sqlite.dataSource],
  ])(
    'SQL metacharacters in user ids and provider names on %s',
    (_name, dataSourceOf) => {
      let dataSource: DataSource;
      beforeEach(() => {
        dataSource = dataSourceOf();
      });

      it('hostile user ids sign in, dance and get their own token back through HTTP; the table is intact', async () => {
        app = await startSecureApp(server, {
          platform,
          storage: advStorage(dataSource),
          blueprints: [plantingBlueprint(server)],
          encryption: { keys },
        });
        const browsers = [];
        for (const [i, userId] of HOSTILE_USER_IDS.entries()) {
          const browser = app.browser();
          await signIn(browser, userId);
          await server.scriptTokenResponse({
            body: plantedToken(`user${i}`),
          });
          expect((await dance(browser, server)).status).toBe(302);
          browsers.push(browser);
        }
        for (const [i, browser] of browsers.entries()) {
          expect(
            (await browser.get('/me/connection').expect(200)).body,
          ).toEqual({ connected: true, scope: `PLANT-SCOPE-user${i}` });
        }
        const rows = await rawRows(dataSource);
        expect(rows.map((r) => r.userId).sort()).toEqual(
          [...HOSTILE_USER_IDS].sort(),
        );
        const stranger = app.browser();
        await signIn(stranger, 'bob');
        expect((await stranger.get('/me/connection').expect(200)).body).toEqual(
          {
            connected: false,
            scope: null,
          },
        );
      });

      it('hostile provider names and user ids stay plain data at the storage level, encrypted or not', async () => {
        const raw = new TypeOrmTokenStorage(dataSource, AdvToken);
        // Half the rows are written without encryption, as before it was turned on.
        const sealed = new EncryptedTokenStorage(raw, {
          keys,
          plaintext: 'migrate',
        });
        const written: Array<[string, string, OAuthToken]> = [];
        for (const [p, provider] of HOSTILE_PROVIDERS.entries()) {
          for (const [u, userId] of HOSTILE_USER_IDS.slice(0, 6).entries()) {
            const token = plantedToken(`p${p}u${u}`);
            await (u % 2 ? sealed : raw).set({ provider, userId }, token);
            written.push([provider, userId, token]);
          }
        }
        for (const [provider, userId, token] of written) {
          expect(await sealed.get({ provider, userId })).toEqual(token);
        }
        expect(await sealed.get({ provider: '%', userId: '%%' })).toBeNull();
        expect(await sealed.get({ provider: 'gh', userId: '_' })).toBeNull();
        expect(await rawRows(dataSource)).toHaveLength(written.length);
        await sealed.delete({ provider: '%', userId: '%' });
        expect(await rawRows(dataSource)).toHaveLength(written.length - 1);
        expect(await sealed.get({ provider: '%', userId: '_' })).not.toBeNull();
      });
    },
  );

  describe('Blueprint names cannot carry metacharacters into routes or rows', () => {
    it.each(HOSTILE_PROVIDERS)('oauth2({ name: %j }) is refused', (name) => {
      expect(() =>
        oauth2({
          name,
          clientId: 'c',
          authorizationUrl: 'http://127.0.0.1/a',
          tokenUrl: 'http://127.0.0.1/t',
        }),
      ).toThrow(InvalidOptionsError);
    });

    it('dance routes with encoded separators or traversal find no blueprint', async () => {
      app = await startSecureApp(server, { platform });
      for (const path of [
        '/login/local%7Cu%3Abob',
        '/login/..%2Flocal',
        "/login/local'--/authorized",
        '/login/%2e%2e/authorized',
      ]) {
        const response = await app.browser().get(path);
        expect(response.status).toBe(404);
      }
    });
  });
});

import { randomBytes } from 'node:crypto';
import { OAuthToken, OAuthUserContext, TokenStorage } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuth1Provider } from '../oauth1/support/oauth1-provider';
import {
  providerBlueprint,
  startOAuth1App,
  walkOAuth1Dance,
} from '../oauth1/support/oauth1-app';
import { localBlueprint } from '../support/dance-app';
import { SecureApp, dance, signIn, startSecureApp } from './support/secure-app';

/** What a hostile (or broken) token endpoint adds to an otherwise fine answer. */
const RESERVED = {
  nest_dance_sealed: 'v1.kForged.AAAA',
  nest_dance_reconnect: true,
  nest_dance_connection: { accountId: 'FORGED-account', accountName: 'FORGED' },
  NEST_DANCE_SEALED: 'v1.kForged.BBBB',
};

/** The stored token as the storage holds it, for `user` (no blueprint logic in between). */
function storedToken(app: SecureApp, user: string): Promise<OAuthToken | null> {
  const storage: TokenStorage = app.blueprint().storage;
  return storage.get({ provider: 'local', userId: user });
}

function expectNoForgedField(token: OAuthToken | null): void {
  expect(token).not.toBeNull();
  for (const name of Object.keys(token!)) {
    expect(name.toLowerCase()).not.toBe('nest_dance_sealed');
    expect(name).not.toBe('nest_dance_reconnect');
  }
  expect(JSON.stringify(token)).not.toContain('FORGED');
}

/**
 * issue 13 #12: nest-dance keeps its own markers in stored tokens (`nest_dance_sealed` for an
 * encrypted envelope, `nest_dance_reconnect`, `nest_dance_connection`). A token response that
 * carries them made every later read throw "no encryption keys" (a 500 on every page that needs
 * the token), or forged the connection's state. Token responses lose every `nest_dance_*`
 * field when they are parsed: authorization code, refresh and OAuth 1.0a access token alike.
 */
describe('issue 13 #12: token responses cannot plant nest-dance’s own fields', () => {
  let server: LocalAuthorizationServer;
  let app: SecureApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.clearScriptedTokenResponses());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([
    ['without encryption', undefined],
    ['with encryption', [randomBytes(32).toString('base64')]],
  ])(
    'the authorization code answer (%s): the dance stores a usable token without them',
    async (_label, keys) => {
      app = await startSecureApp(server, {
        encryption: keys ? { keys } : undefined,
        // Plain OAuth 2.0: a scripted answer cannot carry an ID token the server signed.
        blueprints: [localBlueprint(server, { scope: ['offline_access'] })],
      });
      const browser = app.browser();
      await signIn(browser, 'alice');
      await server.scriptTokenResponse({
        body: {
          access_token: 'planted-access',
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'planted-refresh',
          ...RESERVED,
        },
      });
      expect((await dance(browser, server)).status).toBe(302);
      const connection = await browser.get('/me/connection').expect(200);
      expect(connection.body.connected).toBe(true);
      const context = app.app.get(OAuthUserContext);
      const token = await context.runAs({ id: 'alice' }, () =>
        app!.blueprint().getToken(),
      );
      expect(token?.access_token).toBe('planted-access');
      expectNoForgedField(token);
      if (!keys) expectNoForgedField(await storedToken(app, 'alice'));
    },
  );

  it('the refresh answer: the refreshed token is stored without them and reads fine', async () => {
    app = await startSecureApp(server);
    const browser = app.browser();
    await signIn(browser, 'bob');
    expect((await dance(browser, server)).status).toBe(302);
    const context = app.app.get(OAuthUserContext);
    const local = app.blueprint();
    await context.runAs({ id: 'bob' }, async () => {
      const current = (await local.getToken({ refresh: false }))!;
      const due: OAuthToken = {
        ...current,
        expires_at: Math.floor(Date.now() / 1000) - 10,
      };
      delete due.expires_in;
      await local.storage.set(local.tokenKey('set'), due);
    });
    await server.scriptTokenResponse({
      body: {
        access_token: 'refreshed-access',
        token_type: 'Bearer',
        expires_in: 3600,
        ...RESERVED,
      },
    });
    const refreshed = await context.runAs({ id: 'bob' }, () =>
      local.getToken(),
    );
    expect(refreshed?.access_token).toBe('refreshed-access');
    expectNoForgedField(refreshed);
    expectNoForgedField(await storedToken(app, 'bob'));
    expect(
      (await browser.get('/me/connection').expect(200)).body.connected,
    ).toBe(true);
  });
});

describe('issue 13 #12: an OAuth 1.0a access token answer cannot plant them either', () => {
  let provider: OAuth1Provider;

  beforeAll(async () => {
    provider = await OAuth1Provider.start();
  });
  afterAll(() => provider.stop());

  it('the dance stores the token without nest_dance_* fields', async () => {
    const app = await startOAuth1App({
      blueprints: [providerBlueprint(provider, 'HMAC-SHA1')],
    });
    try {
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'carol' }).expect(201);
      provider.failNext(
        'access-token',
        200,
        new URLSearchParams({
          oauth_token: 'planted-token',
          oauth_token_secret: 'planted-secret',
          nest_dance_sealed: RESERVED.nest_dance_sealed,
          nest_dance_reconnect: 'true',
          nest_dance_connection: 'FORGED',
        }).toString(),
      );
      const { response } = await walkOAuth1Dance(browser, provider);
      expect(response.status).toBe(302);
      expect(
        (await browser.get('/api/acme/connected').expect(200)).body.connected,
      ).toBe(true);
      const stored = await app.storage.get({
        provider: 'acme',
        userId: 'carol',
      });
      expect(stored?.access_token).toBe('planted-token');
      expectNoForgedField(stored);
    } finally {
      await app.close();
    }
  });
});

import {
  MemoryTokenStorage,
  OAuthEvents,
  OAuthToken,
  RECONNECT_MARK,
  connectionRecordOf,
  withConnectionRecord,
  RefreshFailedEvent,
  TokenRefreshError,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DanceApp,
  DanceAppOptions,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';
import { TEST_PLATFORMS } from '../support/platform-app';

/**
 * Refresh in one process against a real authorization server that rotates refresh tokens
 * and revokes the whole grant when a used refresh token comes back.
 */
const suite = 'Token refresh on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({
      rotateRefreshTokens: true,
    });
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    await server.resetStats();
    await server.clearScriptedTokenResponses();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const refreshRequests = async () =>
    (await server.stats()).tokenRequests.refresh_token;
  const aliceKey = { provider: 'local', userId: 'alice' };

  /** An app where alice has connected `local`; returns her signed-in browser. */
  async function aliceConnected(options: DanceAppOptions = {}) {
    app = await startDanceApp(server, {
      platform,
      user: (request) => (request as { user?: unknown }).user,
      ...options,
    });
    const browser = app.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    await walkDance(browser, server, { user: 'alice' });
    await server.resetStats();
    return browser;
  }

  /** Makes alice's stored token expired (and, at the server, really invalid). */
  async function expireAlicesToken(): Promise<OAuthToken> {
    const token = (await app!.storage.get(aliceKey))!;
    const expired = {
      ...token,
      expires_at: Math.floor(Date.now() / 1000) - 10,
    };
    await app!.storage.set(aliceKey, expired);
    await server.expireAccessTokens();
    return expired;
  }

  it('50 concurrent requests on one expired token: exactly one refresh, all succeed, the new refresh token is stored', async () => {
    const browser = await aliceConnected();
    const old = await expireAlicesToken();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        browser.get('/provider-user').set('accept', 'application/json'),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((r) => r.body.sub))).toEqual(
      new Set(['alice']),
    );
    expect(await refreshRequests()).toBe(1);
    const stored = (await app!.storage.get(aliceKey))!;
    expect(stored.refresh_token).toBeTruthy();
    expect(stored.refresh_token).not.toBe(old.refresh_token);
    expect(stored.access_token).not.toBe(old.access_token);
    expect(stored.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    // The rotated refresh token still works: nothing replayed the old one.
    await expireAlicesToken();
    await browser.get('/provider-user').expect(200);
    expect(await refreshRequests()).toBe(2);
  });

  it('getToken() refreshes a due token; getToken({ refresh: false }) does not', async () => {
    await aliceConnected();
    const old = await expireAlicesToken();
    const untouched = await app!
      .blueprint()
      .getToken({ userId: 'alice', refresh: false });
    expect(untouched?.access_token).toBe(old.access_token);
    expect(await refreshRequests()).toBe(0);
    const fresh = await app!.blueprint().getToken({ userId: 'alice' });
    expect(fresh?.access_token).not.toBe(old.access_token);
    expect(await refreshRequests()).toBe(1);
  });

  it('keeps the old refresh token when the response has none', async () => {
    await aliceConnected();
    const old = await expireAlicesToken();
    await server.scriptTokenResponse({
      body: {
        access_token: 'new-access-token',
        token_type: 'Bearer',
        expires_in: 3600,
      },
    });
    const fresh = await app!.blueprint().getToken({ userId: 'alice' });
    expect(fresh?.access_token).toBe('new-access-token');
    expect(fresh?.refresh_token).toBe(old.refresh_token);
    expect(fresh?.id_token).toBe(old.id_token);
    expect((await app!.storage.get(aliceKey))?.refresh_token).toBe(
      old.refresh_token,
    );
  });

  it('a 401 from the API forces exactly one refresh and one retry', async () => {
    const browser = await aliceConnected();
    const before = (await app!.storage.get(aliceKey))!;
    await server.expireAccessTokens(); // still valid by expires_at, dead at the provider
    const response = await browser
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(200);
    expect(response.body.sub).toBe('alice');
    expect(await refreshRequests()).toBe(1);
    expect((await app!.storage.get(aliceKey))?.access_token).not.toBe(
      before.access_token,
    );
  });

  it.each([
    ['a 503', { status: 503, body: { error: 'temporarily_unavailable' } }],
    ['a 429', { status: 429, body: 'slow down' }],
    ['a timeout', { delayMs: 1500 }],
  ])(
    '%s from the token endpoint keeps the old token, backs off and reports it',
    async (_label, script) => {
      const failures: RefreshFailedEvent[] = [];
      const browser = await aliceConnected({
        tokenEndpoint: { timeoutMs: 300 },
        hooks: { refreshFailed: (event) => void failures.push(event) },
      });
      const old = await expireAlicesToken();
      await server.scriptTokenResponse(script);
      const error = await app!
        .blueprint()
        .getToken({ userId: 'alice' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect((error as TokenRefreshError).failure).toBe('unavailable');
      expect((error as TokenRefreshError).needsReconnect).toBe(false);
      expect((error as Error).message).not.toContain(
        old.refresh_token as string,
      );
      // The same token, remembering the failure for OAuthConnections.
      const kept = (await app!.storage.get(aliceKey))!;
      const { refreshFailing, ...record } = connectionRecordOf(kept);
      expect(withConnectionRecord(kept, record)).toEqual(old);
      expect(refreshFailing).toMatchObject({ kind: 'unavailable' });
      expect(refreshFailing!.retryAt).toBeGreaterThan(Date.now());
      expect(failures).toHaveLength(1);
      expect(failures[0].userId).toBe('alice');
      // Backing off: the next call does not hit the provider again, and the route says 503.
      const requestsSoFar = await refreshRequests();
      const response = await browser
        .get('/provider-user')
        .set('accept', 'application/json');
      expect(response.status).toBe(503);
      expect(response.text).not.toContain(old.access_token);
      expect(await refreshRequests()).toBe(requestsSoFar);
    },
  );

  it('a due but unexpired token survives a failed early refresh', async () => {
    await aliceConnected({ refresh: { marginSeconds: 7200 } });
    const before = (await app!.storage.get(aliceKey))!;
    await server.scriptTokenResponse({ status: 503, body: 'down' });
    const token = await app!.blueprint().getToken({ userId: 'alice' });
    expect(token?.access_token).toBe(before.access_token);
  });

  it('invalid_grant after another process rotated the token: theirs is used, nothing is deleted', async () => {
    await aliceConnected();
    const old = await expireAlicesToken();
    const theirs = {
      ...old,
      access_token: 'rotated-elsewhere',
      refresh_token: 'rotated-rt',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    };
    await server.scriptTokenResponse({
      status: 400,
      body: { error: 'invalid_grant' },
      delayMs: 300,
    });
    const pending = app!.blueprint().getToken({ userId: 'alice' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await app!.storage.set(aliceKey, theirs); // the other process stores its rotation meanwhile
    expect((await pending)?.access_token).toBe('rotated-elsewhere');
    expect(await app!.storage.get(aliceKey)).toEqual(theirs);
  });

  it('a dead grant (invalid_grant) keeps the token marked for reconnection, fires refreshFailed and sends the user to reconnect', async () => {
    const failures: RefreshFailedEvent[] = [];
    const browser = await aliceConnected();
    app!.app
      .get(OAuthEvents)
      .on('refreshFailed', (event) => void failures.push(event));
    await expireAlicesToken();
    await server.scriptTokenResponse({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'revoked' },
    });
    const response = await browser
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(401);
    expect(response.body.loginUrl).toBe('/login/local?next=%2Fprovider-user');
    expect(failures.map((f) => f.error.failure)).toEqual(['reconnect']);
    expect((await app!.storage.get(aliceKey))?.[RECONNECT_MARK]).toBe(true);
    expect(await app!.blueprint().getToken({ userId: 'alice' })).toBeNull();
    const page = await browser
      .get('/provider-user')
      .set('accept', 'text/html')
      .expect(302);
    expect(page.headers.location).toBe('/login/local?next=%2Fprovider-user');
  });

  it("onDeadGrant: 'delete' deletes the dead token", async () => {
    await aliceConnected({ refresh: { onDeadGrant: 'delete' } });
    await expireAlicesToken();
    await server.scriptTokenResponse({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    await expect(
      app!.blueprint().getToken({ userId: 'alice' }),
    ).rejects.toThrow(/must connect again/);
    expect(await app!.storage.get(aliceKey)).toBeNull();
  });

  it('disconnect with revoke: true revokes the grant at the provider, then deletes locally', async () => {
    await aliceConnected();
    const token = (await app!.storage.get(aliceKey))!;
    await expect(
      app!.blueprint().deleteToken({ userId: 'alice', revoke: true }),
    ).resolves.toEqual({ revoked: true });
    // The refresh token, then the access token (RFC 7009 lets servers keep the latter alive).
    expect((await server.stats()).revocations).toBe(2);
    expect(await app!.storage.get(aliceKey)).toBeNull();
    await expect(
      app!.blueprint().tokenEndpoint.refresh(token.refresh_token as string),
    ).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('disconnect deletes locally even when revocation fails', async () => {
    app = await startDanceApp(server, {
      platform,
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        localBlueprint(server, { revocationUrl: 'http://127.0.0.1:9/revoke' }),
      ],
    });
    await app
      .blueprint()
      .setToken(
        { access_token: 'at', refresh_token: 'rt' },
        { userId: 'alice' },
      );
    await expect(
      app.blueprint().deleteToken({ userId: 'alice', revoke: true }),
    ).resolves.toEqual({ revoked: false });
    expect(await app.storage.get(aliceKey)).toBeNull();
  });

  it('RequireToken sends a user without a token to the login route', async () => {
    app = await startDanceApp(server, {
      platform,
      user: (request) => (request as { user?: unknown }).user,
    });
    const browser = app.browser();
    await browser.post('/auth/signin').send({ name: 'bob' }).expect(201);
    const page = await browser
      .get('/provider-user')
      .set('accept', 'text/html')
      .expect(302);
    expect(page.headers.location).toBe('/login/local?next=%2Fprovider-user');
    const api = await browser
      .get('/provider-user')
      .set('accept', 'application/json')
      .expect(401);
    expect(api.body).toMatchObject({
      error: 'TokenRequired',
      loginUrl: '/login/local?next=%2Fprovider-user',
    });
  });

  it('a memory storage hands each caller its own copy of a refreshed token', async () => {
    await aliceConnected();
    await expireAlicesToken();
    const [a, b] = await Promise.all([
      app!.blueprint().getToken({ userId: 'alice' }),
      app!.blueprint().getToken({ userId: 'alice' }),
    ]);
    expect(a).toEqual(b);
    a!.access_token = 'mutated';
    expect(
      (await (app!.storage as MemoryTokenStorage).get(aliceKey))?.access_token,
    ).not.toBe('mutated');
  });
});

const suite2 = 'Token refresh with short-lived tokens on %s';

describe.each(TEST_PLATFORMS)(suite2, (platform) => {
  let server: LocalAuthorizationServer;
  let app: DanceApp;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({ accessTokenTtl: 2 });
    app = await startDanceApp(server, {
      platform,
      userRequired: false,
    });
    await walkDance(app.browser(), server, {});
    await server.resetStats();
  });
  afterAll(async () => {
    await app.close();
    await server.stop();
  });

  it('never loops when the token lives shorter than the margin: refreshes once at half-life, then not again', async () => {
    const first = await app.blueprint().getToken({ userId: null });
    expect(first?.expires_in).toBe(2);
    expect((await server.stats()).tokenRequests.refresh_token).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await app.blueprint().getToken({ userId: null });
    expect(second?.access_token).not.toBe(first?.access_token);
    const third = await app.blueprint().getToken({ userId: null });
    expect(third?.access_token).toBe(second?.access_token);
    expect((await server.stats()).tokenRequests.refresh_token).toBe(1);
    const me = await app
      .blueprint()
      .fetchJson<{ sub: string }>('/api/user', { userId: null });
    expect(me.sub).toBeTruthy();
  });
});

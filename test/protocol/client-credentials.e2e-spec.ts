import {
  APP_TOKEN_OWNER,
  InvalidOptionsError,
  MemoryTokenStorage,
  SessionTokenStorage,
  TokenEndpointError,
  oidc,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { DanceApp, startDanceApp } from '../support/dance-app';

/** App tokens: the client credentials grant (RFC 6749 §4.4, issue 14). */
describe('App tokens (client credentials) against LocalAuthorizationServer', () => {
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.resetStats());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const appKey = { provider: 'local', userId: APP_TOKEN_OWNER };
  const requests = async () =>
    (await server.stats()).tokenRequests.client_credentials;

  async function start(extra: Record<string, unknown> = {}) {
    app = await startDanceApp(server, {
      storage: MemoryTokenStorage,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server.issuer,
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          baseUrl: server.issuer,
          ...extra,
        }),
      ],
      ...(extra.module as object),
    });
    return app;
  }

  it('asks once, stores the token under the app owner, and calls the API as the app', async () => {
    await start();
    const blueprint = app!.blueprint();
    const token = await blueprint.appToken();
    expect(token).toMatchObject({
      access_token: expect.any(String),
      expires_in: 3600,
      expires_at: expect.any(Number),
    });
    expect(token).not.toHaveProperty('refresh_token');
    expect(await app!.storage.get(appKey)).toMatchObject({
      access_token: token.access_token,
    });
    expect((await blueprint.appToken()).access_token).toBe(token.access_token);
    const me = await blueprint.fetchJson<Record<string, unknown>>('/api/user', {
      as: 'app',
    });
    expect(me).toMatchObject({
      app: true,
      sub: null,
      client_id: server.clientId,
    });
    expect(await requests()).toBe(1);
  });

  it('200 concurrent callers in one process: one token request', async () => {
    await start();
    const tokens = await Promise.all(
      Array.from({ length: 200 }, () => app!.blueprint().appToken()),
    );
    expect(new Set(tokens.map((t) => t.access_token)).size).toBe(1);
    expect(await requests()).toBe(1);
  });

  it('asks for a new one before the stored one expires', async () => {
    await start();
    const blueprint = app!.blueprint();
    const first = await blueprint.appToken();
    // Within the refresh margin (60 s) of its expiry: due.
    await app!.storage.set(appKey, {
      ...first,
      expires_at: Math.floor(Date.now() / 1000) + 30,
    });
    const second = await blueprint.appToken();
    expect(second.access_token).not.toBe(first.access_token);
    expect(await requests()).toBe(2);
  });

  it('an app token the API refuses (401) is replaced once and the call retried', async () => {
    await start();
    const blueprint = app!.blueprint();
    const first = await blueprint.appToken();
    await server.expireAccessTokens();
    const response = await blueprint.fetch('/api/user', { as: 'app' });
    expect(response.status).toBe(200);
    expect((await blueprint.appToken()).access_token).not.toBe(
      first.access_token,
    );
    expect(await requests()).toBe(2);
  });

  it('asks for appScope', async () => {
    await start({ appScope: ['profile'] });
    const token = await app!.blueprint().appToken();
    expect(token.scope).toBe('profile');
  });

  it('a refused client: the error names the client credentials request', async () => {
    await start({ clientSecret: 'wrong-secret' });
    // startDanceApp registered the blueprint's secret: register the real one again.
    await server.registerClient({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
    });
    const error = await app!
      .blueprint()
      .appToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toMatch(
      /^The client credentials request to 'local' failed \(rejected\): HTTP 401 invalid_client/,
    );
    expect((error as Error).message).not.toContain('wrong-secret');
    expect(await app!.storage.get(appKey)).toBeNull();
  });

  it('a per-browser storage (the session) cannot hold the app token: a clear error', async () => {
    await start({ module: { storage: SessionTokenStorage } });
    const error = await app!
      .blueprint()
      .appToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toMatch(
      /app tokens \(client credentials\) are shared by the whole app.*MemoryTokenStorage or TypeOrmTokenStorage/,
    );
    expect(await requests()).toBe(0);
  });
});

import { Test } from '@nestjs/testing';
import {
  OAuthConsumerModule,
  OAuthErrorEvent,
  TokenRefreshError,
  oauth2,
  oidc,
} from 'nest-dance';
import {
  LocalAuthorizationServer,
  LocalAuthorizationServerOptions,
} from 'nest-dance/testing';
import { DanceApp, startDanceApp } from '../support/dance-app';

/**
 * Issue 14, item 8: LocalAuthorizationServer made to behave like an independent OpenID Connect
 * server that refused the demo's dance: nonce required, HTTP Basic only, access tokens alive
 * after the refresh token is revoked, a bare HTTP 400 on refresh.
 */
describe('Interoperability with servers that are not ours (LocalAuthorizationServer playing one)', () => {
  let server: LocalAuthorizationServer | undefined;
  let app: DanceApp | undefined;
  const errors: OAuthErrorEvent[] = [];

  afterEach(async () => {
    await app?.close();
    await server?.stop();
    app = undefined;
    server = undefined;
    errors.length = 0;
  });

  async function start(
    serverOptions: LocalAuthorizationServerOptions,
    blueprint: Record<string, unknown> = {},
  ): Promise<DanceApp> {
    server = await LocalAuthorizationServer.start(serverOptions);
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server.issuer,
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          scope: ['openid', 'profile', 'email', 'offline_access'],
          ...blueprint,
        }),
      ],
      hooks: { error: (event) => void errors.push(event) },
    });
    return app;
  }

  async function connect(user = 'alice') {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name: user }).expect(201);
    const login = await browser.get('/login/local').expect(302);
    const callback = new URL(
      await server!.completeAuthorization(login.headers.location, { user }),
    );
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('accept', 'application/json');
    return { response, authorizationUrl: new URL(login.headers.location) };
  }

  const tokenOf = (user = 'alice') =>
    app!.blueprint().getToken({ userId: user, refresh: false });

  async function makeDue(user = 'alice') {
    const token = (await tokenOf(user))!;
    await app!.blueprint().setToken(
      { ...token, expires_in: 0 },
      {
        userId: user,
      },
    );
  }

  describe('a server that requires a nonce whenever openid is asked for', () => {
    it('gets one: the dance completes', async () => {
      await start({ requireNonce: true });
      const { response, authorizationUrl } = await connect();
      expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
      expect(response.status).toBe(302);
      expect(await tokenOf()).toMatchObject({ id_token: expect.any(String) });
    });

    it('refuses an authorization request without one (the server side is real)', async () => {
      await start({ requireNonce: true });
      const login = new URL(
        (await app!.browser().get('/login/local').expect(302)).headers.location,
      );
      login.searchParams.delete('nonce');
      await expect(
        server!.completeAuthorization(login.href, { user: 'alice' }),
      ).rejects.toThrow(/nonce is required when the scope includes openid/);
    });
  });

  describe('(a) a server that supports HTTP Basic only', () => {
    it('is authenticated with client_secret_basic, chosen from token_endpoint_auth_methods_supported', async () => {
      await start({ tokenAuthMethods: ['client_secret_basic'] });
      expect(app!.blueprint().tokenEndpoint.authMethod).toBe(
        'client_secret_basic',
      );
      expect((await connect()).response.status).toBe(302);
      await makeDue();
      const refreshed = await app!.blueprint().getToken({ userId: 'alice' });
      expect(refreshed?.access_token).toEqual(expect.any(String));
      expect((await server!.stats()).clientAuthentication).toEqual({
        client_secret_basic: 2,
      });
    });

    it('prefers client_secret_basic when both are listed', async () => {
      await start({
        tokenAuthMethods: ['client_secret_post', 'client_secret_basic'],
      });
      expect(app!.blueprint().tokenEndpoint.authMethod).toBe(
        'client_secret_basic',
      );
    });

    it('names the refused method, and what the server supports, when the blueprint forces another', async () => {
      await start(
        { tokenAuthMethods: ['client_secret_basic'] },
        { tokenAuthMethod: 'client_secret_post' },
      );
      const { response } = await connect();
      expect(response.status).toBe(502);
      expect(response.body.message).toMatch(
        /The code exchange request to 'local' failed \(rejected\): HTTP 401 invalid_client .*refused client authentication by client_secret_post \(it lists token_endpoint_auth_methods_supported: client_secret_basic\)/,
      );
      expect(await tokenOf()).toBeNull();
    });

    it('fails at start-up when the server lists no method a client secret can do', async () => {
      server = await LocalAuthorizationServer.start({
        tokenAuthMethods: ['private_key_jwt', 'none'],
        clients: [{ clientId: 'public-app' }],
      });
      const compile = Test.createTestingModule({
        imports: [
          OAuthConsumerModule.forRoot({
            publicUrl: 'http://127.0.0.1:1',
            blueprints: [
              oidc({
                name: 'local',
                issuer: server.issuer,
                clientId: 'confidential-app',
                clientSecret: 'a-secret',
              }),
            ],
          }),
        ],
      }).compile();
      await expect(compile).rejects.toThrow(
        /authenticates clients by private_key_jwt, none .*give clientPrivateKey/,
      );
    });

    it('keeps client_secret_post for providers configured by hand (no metadata to choose from)', async () => {
      server = await LocalAuthorizationServer.start();
      const blueprint = oauth2({
        name: 'local',
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        authorizationUrl: server.endpoints.authorization,
        tokenUrl: server.endpoints.token,
      });
      app = await startDanceApp(server, { blueprints: [blueprint] });
      expect(app.blueprint().tokenEndpoint.authMethod).toBe(
        'client_secret_post',
      );
    });
  });

  describe('(b) a server that keeps the access token alive when the refresh token is revoked', () => {
    const callApi = (accessToken: string) =>
      fetch(`${server!.endpoints.api}/user`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });

    it('really does (revoking the refresh token alone leaves the access token usable)', async () => {
      await start({ keepAccessTokensOnRevocation: true });
      await connect();
      const token = (await tokenOf())!;
      const revoked = await fetch(server!.endpoints.revocation, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: String(token.refresh_token),
          token_type_hint: 'refresh_token',
          client_id: server!.clientId,
          client_secret: server!.clientSecret!,
        }),
      });
      expect(revoked.status).toBe(200);
      expect((await callApi(token.access_token)).status).toBe(200);
    });

    it('gets both revoked on disconnect: the access token no longer works', async () => {
      await start({ keepAccessTokensOnRevocation: true });
      await connect();
      const token = (await tokenOf())!;
      expect((await callApi(token.access_token)).status).toBe(200);
      await expect(
        app!.blueprint().deleteToken({ userId: 'alice', revoke: true }),
      ).resolves.toEqual({ revoked: true });
      expect((await server!.stats()).revocations).toBe(2);
      expect((await callApi(token.access_token)).status).toBe(401);
      expect(await tokenOf()).toBeNull();
    });
  });

  describe('(c) a refresh answered with an HTTP 4xx and no OAuth error', () => {
    it('ends the grant like invalid_grant, with an error that says which request failed and how', async () => {
      await start({});
      await connect();
      await makeDue();
      await server!.scriptTokenResponse({ status: 400, body: '' });
      const error = await app!
        .blueprint()
        .getToken({ userId: 'alice' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect((error as TokenRefreshError).failure).toBe('reconnect');
      expect((error as Error).message).toMatch(
        /the provider refused the grant \(HTTP 400\): the user must connect again/,
      );
      expect(((error as TokenRefreshError).cause as Error).message).toBe(
        "The refresh request to 'local' failed (rejected): HTTP 400 with no OAuth error code and an empty body",
      );
      // Not retried as if transient: the next read does not ask the server again.
      await app!
        .blueprint()
        .getToken({ userId: 'alice' })
        .catch(() => undefined);
      expect((await server!.stats()).tokenRequests.refresh_token).toBe(1);
    });

    it.each([408, 429, 503])(
      'keeps treating a bare HTTP %i as transient: the token is kept for a later try',
      async (status) => {
        await start({});
        await connect();
        await makeDue();
        await server!.scriptTokenResponse({ status, body: '' });
        const error = await app!
          .blueprint()
          .getToken({ userId: 'alice' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TokenRefreshError);
        expect((error as TokenRefreshError).failure).toBe('unavailable');
        expect((error as Error).message).toMatch(
          new RegExp(
            `HTTP ${status} with no OAuth error code.*the token is kept`,
          ),
        );
        expect((await tokenOf())?.access_token).toEqual(expect.any(String));
      },
    );
  });
});

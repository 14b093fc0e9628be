import { Test } from '@nestjs/testing';
import { OAuthConsumerModule, oidc, validatedIdTokenClaims } from 'nest-dance';
import {
  LocalAuthorizationServer,
  LocalAuthorizationServerOptions,
} from 'nest-dance/testing';
import { CapturingLogger } from '../support/capturing-logger';
import { DanceApp, startDanceApp } from '../support/dance-app';

/** Pushed authorization requests (RFC 9126, issue 14) against LocalAuthorizationServer. */
describe('Pushed authorization requests (RFC 9126)', () => {
  let server: LocalAuthorizationServer | undefined;
  let app: DanceApp | undefined;

  afterEach(async () => {
    await app?.close();
    await server?.stop();
    app = undefined;
    server = undefined;
  });

  async function start(
    serverOptions: LocalAuthorizationServerOptions,
    blueprint: Record<string, unknown> = {},
    logger?: CapturingLogger,
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
          ...blueprint,
        }),
      ],
      hooks: {
        authorized: ({ token }) => {
          claims.push(validatedIdTokenClaims(token));
        },
      },
    });
    if (logger) app.app.useLogger(logger);
    return app;
  }
  const claims: Array<Readonly<Record<string, unknown>> | undefined> = [];
  beforeEach(() => (claims.length = 0));

  async function dance() {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const login = await browser.get('/login/local');
    if (login.status !== 302) return { login };
    const authorizationUrl = new URL(login.headers.location);
    const callback = new URL(
      await server!.completeAuthorization(authorizationUrl.href, {
        user: 'alice',
      }),
    );
    const response = await browser.get(
      `${callback.pathname}${callback.search}`,
    );
    return { login, authorizationUrl, response };
  }

  it('is on when the provider requires it: the browser carries only client_id and request_uri', async () => {
    await start({ requirePushedAuthorizationRequests: true });
    expect(app!.blueprint().tokenEndpoint.pushedAuthorization).toBe(true);
    const { authorizationUrl, response } = await dance();
    expect(`${authorizationUrl!.origin}${authorizationUrl!.pathname}`).toBe(
      server!.endpoints.authorization,
    );
    expect([...authorizationUrl!.searchParams.keys()].sort()).toEqual([
      'client_id',
      'request_uri',
    ]);
    expect(authorizationUrl!.searchParams.get('request_uri')).toMatch(
      /^urn:ietf:params:oauth:request_uri:/,
    );
    expect(response!.status).toBe(302);
    // State, PKCE and the nonce went through the back channel: the dance checked all three.
    expect(claims[0]?.nonce).toEqual(expect.any(String));
    expect((await server!.stats()).pushedAuthorizationRequests).toBe(1);
    const token = await app!.storage.get({
      provider: 'local',
      userId: 'alice',
    });
    expect(token?.access_token).toEqual(expect.any(String));
  });

  it('is off by default when the provider does not require it, and on when the blueprint asks', async () => {
    await start({});
    expect(app!.blueprint().tokenEndpoint.pushedAuthorization).toBe(false);
    const plain = await dance();
    expect(plain.authorizationUrl!.searchParams.get('scope')).toBe(
      'openid profile email',
    );
    expect((await server!.stats()).pushedAuthorizationRequests).toBe(0);
    await app!.close();
    app = await startDanceApp(server!, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server!.issuer,
          clientId: server!.clientId,
          clientSecret: server!.clientSecret,
          pushedAuthorization: true,
        }),
      ],
    });
    const pushed = await dance();
    expect([...pushed.authorizationUrl!.searchParams.keys()].sort()).toEqual([
      'client_id',
      'request_uri',
    ]);
    expect(pushed.response!.status).toBe(302);
  });

  it('required by the provider but turned off: a clear error at start-up', async () => {
    server = await LocalAuthorizationServer.start({
      requirePushedAuthorizationRequests: true,
    });
    const compile = Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:1',
          blueprints: [
            oidc({
              name: 'local',
              issuer: server.issuer,
              clientId: server.clientId,
              clientSecret: server.clientSecret,
              pushedAuthorization: false,
            }),
          ],
        }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow(
      /the provider requires pushed authorization requests \(require_pushed_authorization_requests, RFC 9126 §5\), and pushedAuthorization is false: remove it/,
    );
  });

  it('a pushed request the provider refuses: the login does not start, and the log names the request', async () => {
    const logger = new CapturingLogger();
    await start(
      { requirePushedAuthorizationRequests: true },
      { clientSecret: 'not-the-secret' },
      logger,
    );
    // The server now knows this client by another secret than the blueprint's.
    await server!.registerClient({
      clientId: server!.clientId,
      clientSecret: 'the-registered-secret',
      redirectUris: [`${app!.url}/login/local/authorized`],
    });
    const { login } = await dance();
    expect(login.status).toBe(500);
    expect(login.text).toContain('could not start');
    const logged = logger.lines.map((line) => line.message).join('\n');
    expect(logged).toMatch(
      /The pushed authorization request to 'local' failed \(rejected\): HTTP 401 invalid_client/,
    );
    expect(logged).not.toContain('not-the-secret');
  });
});

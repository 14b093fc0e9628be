import { Test } from '@nestjs/testing';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import {
  BlueprintOptions,
  OAuthConsumerModule,
  TokenEndpointClient,
  TokenEndpointError,
  oidc,
} from 'nest-dance';
import {
  LocalAuthorizationServer,
  LocalTokenAuthMethod,
} from 'nest-dance/testing';
import { DanceApp, startDanceApp } from '../support/dance-app';

/** A key pair for a client: the private half as PEM and as JWK, the public half as JWK. */
async function clientKey(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
  });
  return {
    pem: await exportPKCS8(privateKey),
    privateJwk: { ...(await exportJWK(privateKey)), kid },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/** Client authentication (issue 14): private_key_jwt (RFC 7523) and client_secret_jwt. */
describe('Client authentication with assertions against LocalAuthorizationServer', () => {
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

  /** An app whose blueprint is `extra`, with the client registered as `registration` says. */
  async function start(
    extra: Partial<BlueprintOptions>,
    registration: {
      tokenAuthMethod: LocalTokenAuthMethod;
      clientSecret?: string;
      jwks?: { keys: JsonWebKey[] };
    },
  ): Promise<DanceApp> {
    const clientId = `client-${registration.tokenAuthMethod}-${Date.now()}`;
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server.issuer,
          clientId,
          scope: ['openid', 'profile', 'email', 'offline_access'],
          ...extra,
        }),
      ],
    });
    await server.registerClient({
      clientId,
      redirectUris: [`${app.url}/login/local/authorized`],
      ...registration,
    });
    return app;
  }

  async function danceAndRefresh() {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const login = await browser.get('/login/local').expect(302);
    const callback = new URL(
      await server.completeAuthorization(login.headers.location, {
        user: 'alice',
      }),
    );
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('accept', 'application/json');
    return response;
  }

  it.each([
    ['an RSA key as PEM', 'RS256' as const, 'pem' as const],
    ['an EC key as JWK, its kid sent', 'ES256' as const, 'jwk' as const],
  ])(
    'private_key_jwt with %s: the dance and a refresh authenticate by a signed assertion',
    async (_label, alg, form) => {
      const key = await clientKey(alg, `key-${alg}`);
      await start(
        { clientPrivateKey: form === 'pem' ? key.pem : key.privateJwk },
        { tokenAuthMethod: 'private_key_jwt', jwks: { keys: [key.publicJwk] } },
      );
      expect(app!.blueprint().tokenEndpoint.authMethod).toBe('private_key_jwt');
      expect((await danceAndRefresh()).status).toBe(302);
      const blueprint = app!.blueprint();
      const token = (await blueprint.getToken({
        userId: 'alice',
        refresh: false,
      }))!;
      await blueprint.setToken(
        { ...token, expires_in: 0 },
        { userId: 'alice' },
      );
      const refreshed = await blueprint.getToken({ userId: 'alice' });
      expect(refreshed?.access_token).not.toBe(token.access_token);
      expect((await server.stats()).clientAuthentication).toEqual({
        private_key_jwt: 2,
      });
    },
  );

  it('private_key_jwt with a key the server does not know is refused, and the error names the method', async () => {
    const registered = await clientKey('RS256', 'registered');
    const other = await clientKey('RS256', 'registered');
    await start(
      { clientPrivateKey: other.pem, clientKeyId: 'registered' },
      {
        tokenAuthMethod: 'private_key_jwt',
        jwks: { keys: [registered.publicJwk] },
      },
    );
    const response = await danceAndRefresh();
    expect(response.status).toBe(502);
    expect(response.body.message).toMatch(
      /The code exchange request to 'local' failed \(rejected\): HTTP 401 invalid_client.*client authentication by private_key_jwt/,
    );
  });

  it('client_secret_jwt: an HS256 assertion signed with the secret', async () => {
    await start(
      {
        clientSecret: 'a-long-enough-client-secret-0123456789',
        tokenAuthMethod: 'client_secret_jwt',
      },
      {
        tokenAuthMethod: 'client_secret_jwt',
        clientSecret: 'a-long-enough-client-secret-0123456789',
      },
    );
    expect((await danceAndRefresh()).status).toBe(302);
    expect((await server.stats()).clientAuthentication).toEqual({
      client_secret_jwt: 1,
    });
  });

  it('client_secret_jwt with the wrong secret is refused', async () => {
    await start(
      {
        clientSecret: 'not-the-registered-secret-0123456789',
        tokenAuthMethod: 'client_secret_jwt',
      },
      {
        tokenAuthMethod: 'client_secret_jwt',
        clientSecret: 'a-long-enough-client-secret-0123456789',
      },
    );
    const response = await danceAndRefresh();
    expect(response.status).toBe(502);
    expect(response.body.message).toMatch(/HTTP 401 invalid_client/);
  });

  it.each([
    ['not a key', 'hello', /clientPrivateKey is not a PEM private key/],
    [
      'a public JWK',
      { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' },
      /clientPrivateKey is a public JWK/,
    ],
  ])(
    'a clientPrivateKey that is %s fails with an error that names the fix',
    async (_label, clientPrivateKey, message) => {
      const client = new TokenEndpointClient({
        name: 'local',
        clientId: 'x',
        clientPrivateKey: clientPrivateKey as string,
        tokenUrl: server.endpoints.token,
        issuer: server.issuer,
      });
      const error = await client
        .refresh('rt')
        .catch((e: unknown) => e as Error);
      expect(error).not.toBeInstanceOf(TokenEndpointError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/PKCS#8 PEM.*private JWK/);
    },
  );

  it('private_key_jwt without a key fails at start-up', async () => {
    const compile = Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:1',
          blueprints: [
            oidc({
              name: 'local',
              issuer: server.issuer,
              clientId: 'x',
              tokenAuthMethod: 'private_key_jwt',
            }),
          ],
        }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow(
      /uses private_key_jwt but has no clientPrivateKey/,
    );
  });
});

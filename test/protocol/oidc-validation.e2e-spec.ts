import { Test } from '@nestjs/testing';
import {
  AuthorizedEvent,
  OAuthConsumerModule,
  OAuthErrorEvent,
  oidc,
  validatedIdTokenClaims,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { JWTPayload } from 'jose';
import { DanceApp, startDanceApp } from '../support/dance-app';
import {
  hs256WithPublicKey,
  serverKey,
  ServerKey,
  signIdToken,
  unsignedIdToken,
} from './support/forge';

/** OpenID Connect validated (issue 14): discovery's issuer, the nonce, the ID token. */
describe('OpenID Connect against LocalAuthorizationServer: discovery, nonce and ID token validation', () => {
  let key: ServerKey;
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;
  const authorized: AuthorizedEvent[] = [];
  const errors: OAuthErrorEvent[] = [];

  beforeAll(async () => {
    key = await serverKey();
    server = await LocalAuthorizationServer.start({ signingKey: key.jwk });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await app?.close();
    app = undefined;
    authorized.length = 0;
    errors.length = 0;
    await server.clearScriptedTokenResponses();
  });

  const localOidc = (extra = {}) =>
    oidc({
      name: 'local',
      issuer: server.issuer,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      ...extra,
    });

  async function start(): Promise<DanceApp> {
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [localOidc()],
      hooks: {
        authorized: (event) => void authorized.push(event),
        error: (event) => void errors.push(event),
      },
    });
    return app;
  }

  /** Login, provider, then (optionally) a scripted token answer, then the callback. */
  async function dance(
    script?: (nonce: string) => Promise<Record<string, unknown>>,
  ) {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const login = await browser.get('/login/local').expect(302);
    const authorizationUrl = new URL(login.headers.location);
    const nonce = authorizationUrl.searchParams.get('nonce')!;
    const callback = new URL(
      await server.completeAuthorization(authorizationUrl.href, {
        user: 'alice',
      }),
    );
    if (script) await server.scriptTokenResponse({ body: await script(nonce) });
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('accept', 'application/json');
    return { nonce, response };
  }

  const storedToken = () =>
    app!.storage.get({ provider: 'local', userId: 'alice' });

  describe('discovery', () => {
    it('refuses at start-up a discovery document that names another issuer (OIDC Discovery 4.3)', async () => {
      const start = Test.createTestingModule({
        imports: [
          OAuthConsumerModule.forRoot({
            publicUrl: 'http://127.0.0.1:1',
            blueprints: [
              oidc({
                name: 'impostor',
                issuer: 'https://accounts.example.com',
                discoveryUrl: server.endpoints.discovery,
                clientId: server.clientId,
              }),
            ],
          }),
        ],
      }).compile();
      await expect(start).rejects.toThrow(
        /names the issuer "http:\/\/127\.0\.0\.1:\d+", not the configured "https:\/\/accounts\.example\.com".*Discovery 4\.3/,
      );
    });

    it('takes the issuer, the JWKS and the metadata from a matching document', async () => {
      await start();
      const { options } = app!.blueprint();
      expect(options.issuer).toBe(server.issuer);
      expect(options.jwksUrl).toBe(server.endpoints.jwks);
      expect(options.serverMetadata?.issuer).toBe(server.issuer);
    });
  });

  describe('nonce and a genuine ID token', () => {
    it('sends a fresh nonce bound to the dance, validates the ID token, and exposes its claims', async () => {
      await start();
      const { nonce, response } = await dance();
      expect(response.status).toBe(302);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      const [event] = authorized;
      const claims = validatedIdTokenClaims(event.token);
      expect(claims).toMatchObject({
        iss: server.issuer,
        aud: server.clientId,
        sub: 'alice',
        nonce,
      });
      expect((await storedToken())?.id_token).toEqual(expect.any(String));
      // A second dance gets another nonce.
      const second = await dance();
      expect(second.nonce).not.toBe(nonce);
    });

    it('accepts a token the test signs with the server key and every claim right (the forgeries below are not refused for another reason)', async () => {
      await start();
      const { response } = await dance(async (nonce) =>
        tokenAnswer(
          await signIdToken(goodClaims(nonce), key.privateKey, kid()),
        ),
      );
      expect(response.status).toBe(302);
      expect(validatedIdTokenClaims(authorized[0].token)?.sub).toBe('alice');
    });
  });

  describe('forged ID tokens are refused before any claim is used or stored', () => {
    const forgeries: Array<
      [string, (nonce: string) => Promise<string> | string, RegExp]
    > = [
      [
        'signed with another key under the server’s kid',
        async (nonce) => {
          const other = await serverKey(kid());
          return signIdToken(goodClaims(nonce), other.privateKey, kid());
        },
        /signature/i,
      ],
      ['alg: none', (nonce) => unsignedIdToken(goodClaims(nonce)), /alg/],
      [
        'HS256 with the server’s public key as the secret',
        (nonce) => hs256WithPublicKey(goodClaims(nonce), key.publicPem, kid()),
        /alg|algorithm/i,
      ],
      [
        'for another audience',
        (nonce) =>
          signIdToken(
            { ...goodClaims(nonce), aud: 'another-client' },
            key.privateKey,
            kid(),
          ),
        /aud/,
      ],
      [
        'expired',
        (nonce) =>
          signIdToken(
            {
              ...goodClaims(nonce),
              iat: now() - 7200,
              exp: now() - 3600,
            },
            key.privateKey,
            kid(),
          ),
        /exp/,
      ],
      [
        'with the nonce of an earlier dance (replayed)',
        () =>
          signIdToken(
            goodClaims('nonce-of-an-earlier-dance'),
            key.privateKey,
            kid(),
          ),
        /nonce/,
      ],
      [
        'without the nonce that was sent',
        (nonce) => {
          const claims: JWTPayload = goodClaims(nonce);
          delete claims.nonce;
          return signIdToken(claims, key.privateKey, kid());
        },
        /nonce/,
      ],
      [
        'from another issuer',
        (nonce) =>
          signIdToken(
            { ...goodClaims(nonce), iss: 'https://accounts.example.com' },
            key.privateKey,
            kid(),
          ),
        /iss/,
      ],
    ];

    it.each(forgeries)('%s', async (_label, forge, why) => {
      await start();
      const { response } = await dance(async (nonce) =>
        tokenAnswer(await forge(nonce)),
      );
      expect(response.status).toBe(502);
      expect(response.body.message).toMatch(
        /The code exchange request to 'local' failed \(invalid-response\)/,
      );
      expect(response.body.message).toMatch(why);
      expect(response.body.message).not.toContain('FORGED-AT');
      expect(authorized).toHaveLength(0);
      expect(await storedToken()).toBeNull();
      expect(errors.map((e) => e.error)).toEqual(['token_request_failed']);
    });
  });

  function kid(): string {
    return key.jwk.kid;
  }

  function goodClaims(nonce: string): JWTPayload {
    return {
      iss: server.issuer,
      aud: server.clientId,
      sub: 'alice',
      nonce,
      iat: now(),
      exp: now() + 300,
    };
  }
});

describe('OpenID Connect profile: validated claims before a userinfo call', () => {
  it.each([
    [true, 0],
    [false, 1],
  ])(
    'with claims in the ID token: %s, the dance makes %i userinfo request(s)',
    async (claimsInIdToken, userinfoCalls) => {
      const server = await LocalAuthorizationServer.start({
        claimsInIdToken,
        users: { alice: { name: 'Alice Liddell' } },
      });
      const profiles: AuthorizedEvent['profile'][] = [];
      const app = await startDanceApp(server, {
        user: (request) => (request as { user?: unknown }).user,
        blueprints: [
          oidc({
            name: 'local',
            issuer: server.issuer,
            clientId: server.clientId,
            clientSecret: server.clientSecret,
          }),
        ],
        hooks: { authorized: (event) => void profiles.push(event.profile) },
      });
      try {
        const browser = app.browser();
        await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
        const login = await browser.get('/login/local').expect(302);
        const callback = new URL(
          await server.completeAuthorization(login.headers.location, {
            user: 'alice',
          }),
        );
        await browser.get(`${callback.pathname}${callback.search}`).expect(302);
        expect(profiles[0]).toMatchObject({
          id: 'alice',
          name: 'Alice Liddell',
          email: 'alice@example.com',
        });
        expect((await server.stats()).userinfo).toBe(userinfoCalls);
      } finally {
        await app.close();
        await server.stop();
      }
    },
  );
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function tokenAnswer(idToken: string): Record<string, unknown> {
  return {
    access_token: 'FORGED-AT-1',
    token_type: 'Bearer',
    expires_in: 3600,
    id_token: idToken,
  };
}

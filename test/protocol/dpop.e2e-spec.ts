import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  JWK,
  SignJWT,
} from 'jose';
import { MemoryTokenStorage, OAuthToken, oidc } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { DanceApp, startDanceApp } from '../support/dance-app';

const KEY_FIELD = 'nest_dance_dpop_key';

/** DPoP (RFC 9449, issue 14) against LocalAuthorizationServer with server nonces required. */
describe('DPoP: sender-constrained tokens', () => {
  let server: LocalAuthorizationServer;
  let app: DanceApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({
      dpop: { requireNonce: true },
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => server.resetStats());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(extra: Record<string, unknown> = {}) {
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      storage: MemoryTokenStorage,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server.issuer,
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          scope: ['openid', 'profile', 'email', 'offline_access'],
          baseUrl: server.issuer,
          dpop: true,
        }),
      ],
      ...extra,
    });
    return app;
  }

  async function connect(): Promise<OAuthToken> {
    const browser = app!.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const login = await browser.get('/login/local').expect(302);
    const callback = new URL(
      await server.completeAuthorization(login.headers.location, {
        user: 'alice',
      }),
    );
    await browser.get(`${callback.pathname}${callback.search}`).expect(302);
    return (await app!
      .blueprint()
      .getToken({ userId: 'alice', refresh: false }))!;
  }

  const thumbprint = (key: JWK) =>
    calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x, y: key.y });

  it('binds the token to a key of its own, kept with it; fetch proves the key', async () => {
    await start();
    const token = await connect();
    expect(token.token_type).toBe('DPoP');
    const key = token[KEY_FIELD] as JWK;
    expect(key).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      d: expect.any(String),
    });
    const me = await app!
      .blueprint()
      .fetchJson<{ sub: string; cnf: { jkt: string } }>('/api/user', {
        userId: 'alice',
      });
    expect(me.sub).toBe('alice');
    expect(me.cnf.jkt).toBe(await thumbprint(key));
    // Server nonces: the code exchange and the first API call were each retried once.
    const stats = await server.stats();
    expect(stats.tokenRequests.authorization_code).toBe(2);
    expect(stats.apiRequests).toBe(2);
  });

  it('a stolen access token is useless without the key', async () => {
    await start();
    const token = await connect();
    const api = `${server.endpoints.api}/user`;
    const asBearer = await fetch(api, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(asBearer.status).toBe(401);
    const withoutProof = await fetch(api, {
      headers: { authorization: `DPoP ${token.access_token}` },
    });
    expect(withoutProof.status).toBe(401);
    // A proof by the thief's own key, right in every other respect (method, URL, token hash,
    // the server's nonce): refused.
    const nonce = await serverNonce(api, token.access_token);
    expect(nonce).toEqual(expect.any(String));
    const thief = await generateKeyPair('ES256');
    const proof = await new SignJWT({
      htm: 'GET',
      htu: api,
      ath: createHash('sha256').update(token.access_token).digest('base64url'),
      jti: randomUUID(),
      nonce,
    })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'dpop+jwt',
        jwk: await exportJWK(thief.publicKey),
      })
      .setIssuedAt()
      .sign(thief.privateKey);
    const wrongKey = await fetch(api, {
      headers: { authorization: `DPoP ${token.access_token}`, dpop: proof },
    });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({
      error: 'invalid_dpop_proof',
      error_description: expect.stringMatching(/another key/),
    });
    // The key holder still gets in.
    const response = await app!
      .blueprint()
      .fetch('/api/user', { userId: 'alice' });
    expect(response.status).toBe(200);
  });

  it('a refresh proves the same key and the new token stays bound to it', async () => {
    await start();
    const token = await connect();
    const blueprint = app!.blueprint();
    await blueprint.setToken({ ...token, expires_in: 0 }, { userId: 'alice' });
    const refreshed = (await blueprint.getToken({ userId: 'alice' }))!;
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed[KEY_FIELD]).toEqual(token[KEY_FIELD]);
    const me = await blueprint.fetchJson<{ cnf: { jkt: string } }>(
      '/api/user',
      { userId: 'alice' },
    );
    expect(me.cnf.jkt).toBe(await thumbprint(token[KEY_FIELD] as JWK));
  });

  it('the key is sealed with the token when encryption is on', async () => {
    await start({ encryption: { keys: [randomBytes(32).toString('base64')] } });
    const token = await connect();
    const key = token[KEY_FIELD] as JWK;
    const stored = await app!.storage.get({
      provider: 'local',
      userId: 'alice',
    });
    const raw = JSON.stringify(stored);
    expect(raw).toMatch(/nest_dance_sealed/);
    expect(raw).not.toContain(key.d!);
    expect(raw).not.toContain(KEY_FIELD);
  });

  it('app tokens are DPoP-bound too', async () => {
    await start();
    const me = await app!
      .blueprint()
      .fetchJson<{ app: boolean; cnf?: { jkt: string } }>('/api/user', {
        as: 'app',
      });
    expect(me.app).toBe(true);
    expect(me.cnf?.jkt).toEqual(expect.any(String));
  });
});

/** The nonce the API asks for (no secret), from its `use_dpop_nonce` answer. */
async function serverNonce(api: string, accessToken: string): Promise<string> {
  const key = await generateKeyPair('ES256');
  const proof = await new SignJWT({
    htm: 'GET',
    htu: api,
    ath: createHash('sha256').update(accessToken).digest('base64url'),
    jti: randomUUID(),
  })
    .setProtectedHeader({
      alg: 'ES256',
      typ: 'dpop+jwt',
      jwk: await exportJWK(key.publicKey),
    })
    .setIssuedAt()
    .sign(key.privateKey);
  const answer = await fetch(api, {
    headers: { authorization: `DPoP ${accessToken}`, dpop: proof },
  });
  expect(answer.status).toBe(401);
  await answer.body?.cancel();
  return answer.headers.get('dpop-nonce')!;
}

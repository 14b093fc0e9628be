import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  InvalidOptionsError,
  MemoryTokenStorage,
  OAuthConsumerError,
  OAuthConsumerModule,
  OAuthErrorEvent,
  TokenEndpointError,
  oauth1,
} from 'nest-dance';
import { CapturingLogger } from '../support/capturing-logger';
import { OAuth1Provider } from './support/oauth1-provider';
import {
  OAuth1App,
  providerBlueprint,
  rsaKeyPair,
  startOAuth1App,
  walkOAuth1Dance,
} from './support/oauth1-app';
import { TEST_PLATFORMS } from '../support/platform-app';

const suite = 'OAuth 1.0a dance failures against a real local provider on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let provider: OAuth1Provider;
  let app: OAuth1App | undefined;
  const errors: OAuthErrorEvent[] = [];

  beforeAll(async () => {
    provider = await OAuth1Provider.start();
  });
  afterAll(() => provider.stop());
  beforeEach(() => {
    provider.resetStats();
    errors.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const memory = () => app!.storage as MemoryTokenStorage;
  const start = async (method: 'HMAC-SHA1' | 'RSA-SHA1' = 'HMAC-SHA1') => {
    app = await startOAuth1App({
      platform,
      blueprints: [providerBlueprint(provider, method)],
      hooks: { error: (event) => void errors.push(event) },
      // Anonymous dances into the memory storage, on purpose.
      userRequired: false,
    });
    return app;
  };

  describe('the callback refuses request tokens it did not hand to this browser (403, no access token request, nothing stored)', () => {
    it('a request token the provider never issued for this browser', async () => {
      await start();
      const browser = app!.browser();
      const begin = await browser.get('/login/acme').expect(302);
      const callback = await provider.authorize(begin.headers.location);
      callback.searchParams.set('oauth_token', 'f'.repeat(32));
      const response = await browser
        .get(`${callback.pathname}${callback.search}`)
        .set('accept', 'application/json')
        .expect(403);
      expect(response.body.message).toMatch(
        /request token is unknown, already used, or from another browser\. Start again at \/login\/acme\./,
      );
      expect(provider.stats().accessTokenRequests).toBe(0);
      expect(memory().size).toBe(0);
    });

    it('no request token at all (and no new dance started instead)', async () => {
      await start();
      const browser = app!.browser();
      await browser.get('/login/acme').expect(302);
      const response = await browser
        .get('/login/acme/authorized?oauth_verifier=abc')
        .set('accept', 'application/json')
        .expect(403);
      expect(response.body.message).toContain(
        'The provider sent no request token (oauth_token)',
      );
      expect(provider.stats()).toMatchObject({
        requestTokenRequests: 1,
        accessTokenRequests: 0,
      });
      expect(memory().size).toBe(0);
    });

    it('a replayed callback: the request token works once', async () => {
      await start();
      const browser = app!.browser();
      const { callbackUrl, response } = await walkOAuth1Dance(
        browser,
        provider,
      );
      expect(response.status).toBe(302);
      expect(memory().size).toBe(1);
      const replay = await browser
        .get(`${callbackUrl.pathname}${callbackUrl.search}`)
        .set('accept', 'application/json')
        .expect(403);
      expect(replay.body.message).toContain('already used');
      expect(provider.stats().accessTokenRequests).toBe(1);
      expect(memory().size).toBe(1);
    });

    it('a callback carried to another browser (login CSRF / session fixation)', async () => {
      await start();
      const victim = app!.browser();
      const attacker = app!.browser();
      const begin = await attacker.get('/login/acme').expect(302);
      const callback = await provider.authorize(begin.headers.location, {
        user: 'mallory',
      });
      await victim.get('/login/acme').expect(302);
      await victim.get(`${callback.pathname}${callback.search}`).expect(403);
      expect(provider.stats().accessTokenRequests).toBe(0);
      expect(memory().size).toBe(0);
    });

    it('a request token made for another blueprint of the same app', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [
          providerBlueprint(provider, 'HMAC-SHA1'),
          providerBlueprint(provider, 'RSA-SHA1', { name: 'other' }),
        ],
      });
      const browser = app.browser();
      const begin = await browser.get('/login/other').expect(302);
      const callback = await provider.authorize(begin.headers.location);
      await browser.get(`/login/acme/authorized${callback.search}`).expect(403);
      expect(provider.stats().accessTokenRequests).toBe(0);
      expect(memory().size).toBe(0);
    });

    it('a callback without oauth_verifier (OAuth 1.0 without "a") is refused and the request token spent', async () => {
      await start();
      const browser = app!.browser();
      const begin = await browser.get('/login/acme').expect(302);
      const callback = await provider.authorize(begin.headers.location);
      const token = callback.searchParams.get('oauth_token');
      await browser
        .get(`/login/acme/authorized?oauth_token=${token}`)
        .expect(400);
      await browser.get(`${callback.pathname}${callback.search}`).expect(403);
      expect(provider.stats().accessTokenRequests).toBe(0);
      expect(memory().size).toBe(0);
    });

    it('malformed or oversized parameters answer 400', async () => {
      await start();
      const browser = app!.browser();
      await browser.get('/login/acme').expect(302);
      await browser
        .get(
          `/login/acme/authorized?oauth_token=${'t'.repeat(600)}&oauth_verifier=v`,
        )
        .expect(400);
      await browser
        .get(
          '/login/acme/authorized?oauth_token=a&oauth_token=b&oauth_verifier=v',
        )
        .expect(400);
      expect(provider.stats().accessTokenRequests).toBe(0);
    });
  });

  it('a denied authorization fires the error hook (access_denied), stores nothing and goes back to the app', async () => {
    await start();
    const browser = app!.browser();
    const { callbackUrl, response } = await walkOAuth1Dance(browser, provider, {
      approve: false,
      next: '/settings',
    });
    expect(callbackUrl.searchParams.get('oauth_verifier')).toBe('denied');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/settings');
    expect(errors.map((e) => e.error)).toEqual(['access_denied']);
    expect(provider.stats().accessTokenRequests).toBe(0);
    expect(memory().size).toBe(0);
    // The request token was spent with the refusal.
    await browser
      .get(
        `${callbackUrl.pathname}?oauth_token=${callbackUrl.searchParams.get('oauth_token')}&oauth_verifier=x`,
      )
      .expect(403);
  });

  it("Twitter's ?denied= and the Problem Reporting extension's oauth_problem count as refusals too", async () => {
    await start();
    const browser = app!.browser();
    const begin = await browser.get('/login/acme').expect(302);
    const token = new URL(begin.headers.location).searchParams.get(
      'oauth_token',
    );
    await browser.get(`/login/acme/authorized?denied=${token}`).expect(302);
    const again = await browser.get('/login/acme').expect(302);
    const second = new URL(again.headers.location).searchParams.get(
      'oauth_token',
    );
    await browser
      .get(
        `/login/acme/authorized?oauth_problem=user_refused&oauth_token=${second}`,
      )
      .expect(302);
    expect(errors.map((e) => e.error)).toEqual([
      'access_denied',
      'access_denied',
    ]);
    expect(memory().size).toBe(0);
  });

  describe('provider failures on the token endpoints: a clear error page, error hook, nothing stored', () => {
    it('the request token endpoint answers 500', async () => {
      await start();
      provider.failNext('request-token', 500, 'java.lang.NullPointerException');
      const response = await app!
        .browser()
        .get('/login/acme')
        .set('accept', 'application/json')
        .expect(502);
      expect(response.body.message).toMatch(
        /^The provider did not give a request token\. .* 'acme' failed \(unavailable\): the request token request answered HTTP 500$/,
      );
      expect(response.body.message).not.toContain('NullPointerException');
      expect(errors).toHaveLength(1);
      expect(errors[0].error).toBe('request_token_failed');
      expect(errors[0].cause).toBeInstanceOf(TokenEndpointError);
      expect(memory().size).toBe(0);
    });

    it('the request token endpoint refuses the consumer (oauth_problem)', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [
          oauth1({
            name: 'acme',
            consumerKey: 'not-registered',
            consumerSecret: 'whatever',
            signatureMethod: 'HMAC-SHA1',
            requestTokenUrl: provider.endpoint('requestToken'),
            authorizationUrl: provider.endpoint('authorize'),
            accessTokenUrl: provider.endpoint('accessToken'),
          }),
        ],
      });
      const response = await app
        .browser()
        .get('/login/acme')
        .set('accept', 'application/json')
        .expect(502);
      expect(response.body.message).toContain(
        '(rejected): the request token request answered HTTP 401 consumer_key_unknown',
      );
    });

    it.each([
      [500, 'unavailable', 'oauth_problem=internal'],
      [401, 'rejected', 'oauth_problem=token_expired'],
    ])(
      'the access token endpoint answers %i',
      async (status, failure, body) => {
        await start('RSA-SHA1');
        provider.failNext('access-token', status, body);
        const { response } = await walkOAuth1Dance(app!.browser(), provider);
        expect(response.status).toBe(502);
        expect(response.text).toContain('The provider did not give a token.');
        expect(response.text).toContain(`(${failure})`);
        expect(errors.map((e) => e.error)).toEqual(['token_request_failed']);
        expect(provider.stats().accessTokenRequests).toBe(1);
        expect(memory().size).toBe(0);
      },
    );

    it('an access token answer without oauth_token_secret is refused', async () => {
      await start();
      provider.failNext('access-token', 200, 'oauth_token=abc');
      const { response } = await walkOAuth1Dance(app!.browser(), provider);
      expect(response.status).toBe(502);
      expect(response.text).toContain(
        'the access token answer has no oauth_token and oauth_token_secret',
      );
      expect(memory().size).toBe(0);
    });

    it('a provider that redirects the token request is not followed (the signed request stays put)', async () => {
      await start();
      provider.failNext('request-token', 302, '');
      await app!.browser().get('/login/acme').expect(502);
      expect(provider.stats().requestTokenRequests).toBe(1);
    });
  });

  it('never logs the token or its secret (a failing authorized hook quoting them)', async () => {
    let secrets: string[] = [];
    app = await startOAuth1App({
      platform,
      blueprints: [providerBlueprint(provider, 'RSA-SHA1')],
      hooks: {
        authorized: ({ token }) => {
          secrets = [token.access_token, String(token.oauth_token_secret)];
          throw new Error(`cannot save ${secrets.join(' / ')}`);
        },
      },
    });
    const logger = new CapturingLogger();
    app.app.useLogger(logger);
    const { response } = await walkOAuth1Dance(app.browser(), provider);
    expect(response.status).toBe(500);
    expect(secrets).toHaveLength(2);
    const logged = logger.lines.map((line) => line.message).join('\n');
    expect(logged).toContain('The authorized hook of');
    expect(logged).toContain('[redacted]');
    for (const secret of secrets) {
      expect(logged).not.toContain(secret);
      expect(response.text).not.toContain(secret);
    }
    expect(memory().size).toBe(0);
  });

  describe('signed API calls', () => {
    it('a stored token without its secret cannot be used, and says why', async () => {
      await start();
      const acme = app!.registry.get('acme');
      await acme.setToken({ access_token: 'abc' }, { userId: 'zoe' });
      await expect(acme.fetch('echo', { userId: 'zoe' })).rejects.toThrow(
        OAuthConsumerError,
      );
      await expect(acme.fetch('echo', { userId: 'zoe' })).rejects.toThrow(
        /has no oauth_token_secret.*connect again/,
      );
      expect(provider.stats().apiCalls).toBe(0);
    });

    it('a token the provider does not know is answered 401 and not refreshed (OAuth 1.0a has no refresh)', async () => {
      await start();
      const acme = app!.registry.get('acme');
      await acme.setToken(
        { access_token: 'unknown', oauth_token_secret: 'nope' },
        { userId: 'zoe' },
      );
      const response = await acme.fetch('echo', { userId: 'zoe' });
      expect(response.status).toBe(401);
      expect(acme.options.refreshUrl).toBe(false);
      expect(provider.stats().refused).toEqual({ token_rejected: 1 });
    });
  });
});

describe('oauth1() options that cannot work are refused with the fix', () => {
  const base = {
    name: 'acme',
    consumerKey: 'key',
    consumerSecret: 'secret',
    signatureMethod: 'HMAC-SHA1' as const,
    requestTokenUrl: 'https://acme.example/oauth/request_token',
    authorizationUrl: 'https://acme.example/oauth/authorize',
    accessTokenUrl: 'https://acme.example/oauth/access_token',
  };

  it('returns OAuth 1.0a blueprint options: protocol, endpoints, no refresh, no PKCE', () => {
    expect(oauth1(base)).toEqual({
      protocol: 'oauth1',
      name: 'acme',
      clientId: 'key',
      clientSecret: 'secret',
      signatureMethod: 'HMAC-SHA1',
      requestTokenUrl: base.requestTokenUrl,
      authorizationUrl: base.authorizationUrl,
      tokenUrl: base.accessTokenUrl,
      refreshUrl: false,
      pkce: false,
    });
  });

  it.each([
    [{ consumerKey: '' }, /consumerKey is required/],
    [
      { signatureMethod: 'PLAINTEXT' },
      /signatureMethod must be 'HMAC-SHA1' or 'RSA-SHA1'/,
    ],
    [
      { consumerSecret: undefined },
      /HMAC-SHA1 signs with the consumer secret: give consumerSecret/,
    ],
    [
      { signatureMethod: 'RSA-SHA1' },
      /RSA-SHA1 signs with an RSA private key: give rsaPrivateKey as PEM/,
    ],
    [
      { requestTokenUrl: '/oauth/request_token' },
      /requestTokenUrl must be an absolute http\(s\) URL/,
    ],
    [
      { accessTokenUrl: undefined },
      /accessTokenUrl must be an absolute http\(s\) URL/,
    ],
    [{ name: 'a b' }, /Invalid blueprint name/],
  ])('%j', (override, message) => {
    expect(() => oauth1({ ...base, ...override } as never)).toThrow(
      InvalidOptionsError,
    );
    expect(() => oauth1({ ...base, ...override } as never)).toThrow(message);
  });

  it('fails start-up when the RSA key is not a readable RSA private key', async () => {
    const blueprint = oauth1({
      ...base,
      consumerSecret: undefined,
      signatureMethod: 'RSA-SHA1',
      rsaPrivateKey:
        '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:3000',
          blueprints: [blueprint],
          storage: MemoryTokenStorage,
        }),
      ],
    }).compile();
    const app: INestApplication = moduleRef.createNestApplication({
      logger: false,
    });
    await expect(app.init()).rejects.toThrow(
      /signs with RSA-SHA1 but its rsaPrivateKey is not an RSA private key in PEM/,
    );
    await app.close();
  });

  it('keeps the private key and secret out of the sealed state and of error pages', async () => {
    const keys = rsaKeyPair();
    const blueprint = oauth1({
      ...base,
      consumerSecret: undefined,
      signatureMethod: 'RSA-SHA1',
      rsaPrivateKey: keys.privateKey,
      // Nothing listens there: the request token request fails.
      requestTokenUrl: 'http://127.0.0.1:9/request_token',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:3000',
          blueprints: [blueprint],
          storage: MemoryTokenStorage,
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const request = (await import('supertest')).default;
    const response = await request(app.getHttpServer())
      .get('/login/acme')
      .expect(502);
    expect(response.text).toContain('(network)');
    expect(response.text).not.toContain('PRIVATE KEY');
    await app.close();
  });
});

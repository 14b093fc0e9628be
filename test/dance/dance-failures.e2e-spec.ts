import { MemoryTokenStorage, OAuthErrorEvent } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DanceApp,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';
import { TEST_PLATFORMS } from '../support/platform-app';

/** Everything that must fail cleanly: no token request where none is due, nothing stored, no secret shown. */
const suite = 'The dance fails cleanly on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let app: DanceApp;
  let errors: OAuthErrorEvent[];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());

  beforeEach(async () => {
    await server.resetStats();
    await server.clearScriptedTokenResponses();
    errors = [];
    app = await startDanceApp(server, {
      platform,
      blueprints: [
        localBlueprint(server),
        localBlueprint(server, { name: 'other', clientId: 'other-client' }),
      ],
      hooks: { error: (event) => void errors.push(event) },
      tokenEndpoint: { timeoutMs: 500, maxResponseBytes: 16 * 1024 },
      // Anonymous dances into the memory storage, on purpose.
      userRequired: false,
    });
  });
  afterEach(() => app.close());

  const tokenRequests = async () =>
    (await server.stats()).tokenRequests.authorization_code;
  const stored = () => (app.storage as MemoryTokenStorage).size;

  /** Starts a dance in `browser` and returns the provider's redirect back, not yet followed. */
  async function callbackFor(
    browser: ReturnType<DanceApp['browser']>,
    blueprint = 'local',
  ): Promise<URL> {
    const start = await browser.get(`/login/${blueprint}`).expect(302);
    return new URL(
      await server.completeAuthorization(start.headers.location, {
        user: 'alice',
      }),
    );
  }
  const pathOf = (url: URL) => `${url.pathname}${url.search}`;

  describe('state', () => {
    it('refuses a callback without state (403), with no token request', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      callback.searchParams.delete('state');
      const response = await browser.get(pathOf(callback)).expect(403);
      expect(response.text).toContain('no OAuth state');
      expect(await tokenRequests()).toBe(0);
      expect(stored()).toBe(0);
    });

    it('refuses a wrong state', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      callback.searchParams.set('state', 'A'.repeat(43));
      await browser.get(pathOf(callback)).expect(403);
      expect(await tokenRequests()).toBe(0);
    });

    it('refuses a replayed state: the second use of a callback gets 403 and no second token request', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      await browser.get(pathOf(callback)).expect(302);
      await browser.get(pathOf(callback)).expect(403);
      expect(await tokenRequests()).toBe(1);
      expect(stored()).toBe(1);
    });

    it('refuses a state made in another browser (login CSRF)', async () => {
      const victim = app.browser();
      const attacker = app.browser();
      const callback = await callbackFor(attacker);
      const response = await victim
        .get(pathOf(callback))
        .set('accept', 'application/json')
        .expect(403);
      expect(response.body).toEqual({
        statusCode: 403,
        error: 'OAuthDanceError',
        message: expect.stringContaining(
          'unknown, already used, or from another browser',
        ),
      });
      expect(await tokenRequests()).toBe(0);
      expect(stored()).toBe(0);
    });

    it('refuses the state of one blueprint at another (mix-up defence)', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser, 'local');
      const response = await browser
        .get(`/login/other/authorized${callback.search}`)
        .expect(403);
      expect(response.text).toContain('made for another provider');
      expect(await tokenRequests()).toBe(0);
    });

    it('refuses a callback whose iss is not the provider', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      callback.searchParams.set('iss', 'https://evil.example');
      const response = await browser.get(pathOf(callback)).expect(403);
      expect(response.text).toContain('iss mismatch');
      expect(await tokenRequests()).toBe(0);
    });

    it('sends the provider iss and accepts it when it matches', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      expect(callback.searchParams.get('iss')).toBe(server.issuer);
      await browser.get(pathOf(callback)).expect(302);
    });

    it('refuses overlong parameters with 400', async () => {
      const browser = app.browser();
      const callback = await callbackFor(browser);
      callback.searchParams.set('code', 'c'.repeat(5000));
      await browser.get(pathOf(callback)).expect(400);
      expect(await tokenRequests()).toBe(0);
    });
  });

  describe('provider errors', () => {
    it('?error=access_denied: error hook, redirect, no token request, nothing stored', async () => {
      const browser = app.browser();
      const start = await browser
        .get('/login/local?next=/settings')
        .expect(302);
      const callback = new URL(
        await server.completeAuthorization(start.headers.location, {
          approve: false,
        }),
      );
      expect(callback.searchParams.get('error')).toBe('access_denied');
      const response = await browser.get(pathOf(callback)).expect(302);
      expect(response.headers.location).toBe('/settings');
      expect(errors.map((e) => e.error)).toEqual(['access_denied']);
      expect(await tokenRequests()).toBe(0);
      expect(stored()).toBe(0);
    });

    it('passes the provider text to the hook as text, and never renders it unescaped', async () => {
      const browser = app.browser();
      const start = await browser.get('/login/local').expect(302);
      const state = new URL(start.headers.location).searchParams.get('state');
      await browser
        .get(
          `/login/local/authorized?error=server_error&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${state}`,
        )
        .expect(302);
      expect(errors[0].description).toBe('<script>alert(1)</script>');
      await server.scriptTokenResponse({
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: '<img src=x onerror=alert(1)>',
        },
      });
      const response = await browser
        .get(pathOf(await callbackFor(browser)))
        .expect(502);
      expect(response.text).not.toContain('<img');
      expect(response.text).toContain('&#60;img src=x onerror=alert(1)&#62;');
    });
  });

  describe('token endpoint failures: error hook, a clear error, nothing stored, no secret shown', () => {
    const cases: Array<
      [
        string,
        Parameters<LocalAuthorizationServer['scriptTokenResponse']>[0],
        RegExp,
      ]
    > = [
      [
        'an OAuth error',
        { status: 400, body: { error: 'invalid_grant' } },
        /rejected.*invalid_grant/,
      ],
      ['a 503', { status: 503, body: 'maintenance' }, /unavailable.*HTTP 503/],
      [
        'a 429',
        { status: 429, body: { error: 'slow_down' } },
        /unavailable.*HTTP 429/,
      ],
      [
        'a non-JSON body',
        {
          status: 200,
          body: '<html>oops</html>',
          headers: { 'content-type': 'text/html' },
        },
        /neither JSON nor form-encoded/,
      ],
      [
        'an oversized body',
        { status: 200, body: { access_token: 'x'.repeat(40_000) } },
        /larger than 16384 bytes/,
      ],
      [
        'no access_token',
        { status: 200, body: { token_type: 'Bearer', expires_in: 60 } },
        /no access_token/,
      ],
      [
        'deeply nested JSON',
        {
          status: 200,
          body: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`),
        },
        /nested deeper/,
      ],
      ['a timeout', { delayMs: 2000 }, /timeout/],
    ];

    it.each(cases)('%s', async (_label, script, message) => {
      await server.scriptTokenResponse(script);
      const browser = app.browser();
      const callback = await callbackFor(browser);
      const response = await browser
        .get(pathOf(callback))
        .set('accept', 'application/json')
        .expect(502);
      expect(response.body.message).toMatch(message);
      expect(errors.map((e) => e.error)).toEqual(['token_request_failed']);
      expect(stored()).toBe(0);
      for (const secret of [
        server.clientSecret,
        callback.searchParams.get('code')!,
      ]) {
        expect(response.text).not.toContain(secret);
        expect(JSON.stringify(errors[0].description)).not.toContain(secret);
      }
    });
  });

  describe('post-login redirect', () => {
    it.each([
      ['/dashboard?tab=tokens', '/dashboard?tab=tokens'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example/', '/'],
      ['javascript:alert(1)', '/'],
      ['/%2F%2Fevil.example', '/'],
      ['/%5Cevil.example', '/'],
      ['%2F%2Fevil.example', '/'],
      ['/\t/evil.example', '/'],
    ])('next=%j lands on %s', async (next, expected) => {
      const { response } = await walkDance(app.browser(), server, { next });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(expected);
    });

    it('an unsafe redirect returned by the authorized hook is not followed', async () => {
      await app.close();
      app = await startDanceApp(server, {
        platform,
        hooks: {
          authorized: () => ({
            redirect: '//evil.example',
            user: { id: 'zed' },
          }),
        },
      });
      const { response } = await walkDance(app.browser(), server, {});
      expect(response.headers.location).toBe('/');
      expect(
        await app.storage.get({ provider: 'local', userId: 'zed' }),
      ).not.toBeNull();
    });
  });
});

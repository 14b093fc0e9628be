import {
  COOKIE_SESSION_MAX_BYTES,
  OAuthErrorEvent,
  SessionTokenStorage,
  TokenStorageError,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { AllLevelsLogger } from './support/log-capture';
import {
  SecureApp,
  callbackFor,
  dance,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';
import { PLANTED, newKey, plantedToken } from './support/token-table';
import { TEST_PLATFORMS } from '../support/platform-app';

/**
 * The security checklist, part 4: what the dance sends to browsers. State / PKCE cookies
 * (CSRF binding, field.md "Client requirements"), cache and referrer headers on every dance
 * page (tokens and codes never cached or leaked by Referer), and tokens in cookie-only sessions
 * (field.md users' problem 12: tokens too large for a 4 KB cookie silently dropped).
 */
const suite = 'Adversarial: cookies and headers on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let app: SecureApp | undefined;
  let logs: AllLevelsLogger;
  let errors: OAuthErrorEvent[];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    logs = new AllLevelsLogger();
    errors = [];
    await server.clearScriptedTokenResponses();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = async (options: Parameters<typeof startSecureApp>[1] = {}) => {
    app = await startSecureApp(server, {
      platform,
      logger: logs,
      hooks: { error: (event) => void errors.push(event) },
      ...options,
    });
    return app;
  };
  const setCookies = (response: request.Response): string[] =>
    (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];

  describe('State and PKCE cookie: HttpOnly, SameSite=Lax, Secure when the public URL is https, sealed', () => {
    it('over http: HttpOnly, SameSite=Lax, scoped to the blueprint routes, short-lived, not Secure', async () => {
      await start({ session: 'none', stateSecret: 's'.repeat(40) });
      const login = await app!.browser().get('/login/local').expect(302);
      const [cookie] = setCookies(login);
      expect(cookie).toMatch(/^nest-dance\.state\.local=/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\/login\/local(;|$)/);
      expect(cookie).toMatch(/; Max-Age=600/);
      expect(cookie).not.toMatch(/; Secure/);
    });

    it('behind an https public URL the cookie is Secure', async () => {
      await start({
        session: 'none',
        stateSecret: 's'.repeat(40),
        publicUrl: 'https://app.example',
      });
      const login = await app!.browser().get('/login/local').expect(302);
      expect(
        new URL(login.headers.location).searchParams.get('redirect_uri'),
      ).toBe('https://app.example/login/local/authorized');
      const [cookie] = setCookies(login);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    });

    it('the cookie reveals neither the state nor the PKCE verifier, and the used cookie is cleared', async () => {
      await start({ session: 'none', stateSecret: 's'.repeat(40) });
      const browser = app!.browser();
      const login = await browser.get('/login/local').expect(302);
      const value = decodeURIComponent(
        setCookies(login)[0].split(';')[0].split('=')[1],
      );
      const state = new URL(login.headers.location).searchParams.get('state')!;
      expect(value).not.toContain(state);
      expect(Buffer.from(value, 'base64url').toString('latin1')).not.toMatch(
        /verifier|state|"blueprint"/,
      );
      const callback = await server.completeAuthorization(
        login.headers.location,
      );
      const answer = await browser.get(pathOf(new URL(callback)));
      expect(answer.status).toBe(302);
      expect(setCookies(answer).join()).toMatch(
        /nest-dance\.state\.local=;.*Expires=Thu, 01 Jan 1970/,
      );
    });
  });

  describe('Dance pages: Cache-Control no-store and Referrer-Policy no-referrer', () => {
    it('on the login redirect, the callback in every outcome, and unknown providers', async () => {
      await start({ tokenEndpoint: { timeoutMs: 500 } });
      const browser = app!.browser();
      const answers: Array<[string, request.Response]> = [];
      answers.push(['login', await browser.get('/login/local')]);
      const ok = await callbackFor(browser, server);
      answers.push(['success', await browser.get(pathOf(ok))]);
      answers.push(['replayed state', await browser.get(pathOf(ok))]);
      answers.push([
        'overlong code',
        await browser.get('/login/local/authorized?code=' + 'c'.repeat(3000)),
      ]);
      const pending = new URL(
        (await browser.get('/login/local')).headers.location,
      ).searchParams.get('state');
      answers.push([
        'provider error',
        await browser.get(
          `/login/local/authorized?error=access_denied&state=${pending}`,
        ),
      ]);
      answers.push([
        'provider error without state',
        await browser.get('/login/local/authorized?error=access_denied'),
      ]);
      await server.scriptTokenResponse({ status: 503, body: 'down' });
      answers.push([
        'token failure',
        await browser.get(pathOf(await callbackFor(browser, server))),
      ]);
      answers.push(['unknown provider', await browser.get('/login/nope')]);
      answers.push([
        'unknown provider callback',
        await browser.get('/login/nope/authorized?code=x&state=y'),
      ]);
      expect(answers.map(([label, r]) => [label, r.status])).toEqual([
        ['login', 302],
        ['success', 302],
        ['replayed state', 403],
        ['overlong code', 400],
        ['provider error', 302],
        ['provider error without state', 403],
        ['token failure', 502],
        ['unknown provider', 404],
        ['unknown provider callback', 404],
      ]);
      for (const [label, response] of answers) {
        expect([label, response.headers['cache-control']]).toEqual([
          label,
          'no-store',
        ]);
        expect([label, response.headers['referrer-policy']]).toEqual([
          label,
          'no-referrer',
        ]);
      }
    });
  });

  describe('Cookie-only sessions: one clear warning; tokens that would not fit are refused, never dropped', () => {
    const cookieSessionApp = (keys?: string[]) =>
      start({
        session: 'cookie-session',
        storage: SessionTokenStorage,
        encryption: keys ? { keys } : undefined,
      });

    it('warns once, naming the risk and the fix, however many tokens are stored', async () => {
      await cookieSessionApp();
      for (const user of ['alice', 'bob']) {
        const browser = app!.browser();
        await signIn(browser, user);
        expect((await dance(browser, server)).status).toBe(302);
        expect(
          (await browser.get('/me/connection').expect(200)).body.connected,
        ).toBe(true);
      }
      const warnings = logs.of('warn', 'SessionTokenStorage');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].text).toMatch(/cookie-only session/);
      expect(warnings[0].text).toMatch(/encryption/);
      expect(warnings[0].text).toMatch(
        /express-session with a server-side store/,
      );
    });

    it.each([
      ['a plaintext', undefined],
      ['an encrypted', [newKey()]],
    ])(
      '%s token too big for the cookie: a clear error, the error hook, the session intact, nothing leaked',
      async (_label, keys) => {
        await cookieSessionApp(keys);
        const browser = app!.browser();
        await signIn(browser, 'alice');
        await server.scriptTokenResponse({
          body: {
            ...plantedToken('big'),
            // No planted id_token: it is validated, hence refused (issue 14).
            id_token: undefined,
            planted_blob: `PLANT-BLOB-${'x'.repeat(COOKIE_SESSION_MAX_BYTES)}`,
          },
        });
        const response = await dance(browser, server);
        expect(response.status).toBe(500);
        expect(response.text).toContain('could not be saved');
        expect(errors.map((e) => e.error)).toEqual(['storage_failed']);
        const cause = errors[0].cause as TokenStorageError;
        expect(cause).toBeInstanceOf(TokenStorageError);
        expect(cause.message).toMatch(
          new RegExp(
            `cookie-only session \\d+ bytes, over the ${COOKIE_SESSION_MAX_BYTES}`,
          ),
        );
        expect(cause.message).toMatch(/express-session with a store/);
        // Still signed in, with no token: the browser kept a working session.
        expect((await browser.get('/auth/me').expect(200)).body).toMatchObject({
          id: 'alice',
        });
        expect(
          (await browser.get('/me/connection').expect(200)).body.connected,
        ).toBe(false);
        expect(logs.text()).not.toMatch(PLANTED);
        expect(setCookies(response).join()).not.toMatch(/PLANT/);
      },
    );

    it('the same large token fits a server-side session store, with no warning', async () => {
      await start({ session: 'express-session', storage: SessionTokenStorage });
      const browser = app!.browser();
      await signIn(browser, 'alice');
      await server.scriptTokenResponse({
        body: {
          ...plantedToken('big'),
          id_token: undefined,
          planted_blob: `PLANT-BLOB-${'x'.repeat(COOKIE_SESSION_MAX_BYTES)}`,
        },
      });
      expect((await dance(browser, server)).status).toBe(302);
      expect(
        (await browser.get('/me/connection').expect(200)).body.connected,
      ).toBe(true);
      expect(logs.of('warn', 'SessionTokenStorage')).toEqual([]);
    });
  });
});

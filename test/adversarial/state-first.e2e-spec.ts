import { OAuthErrorEvent, OAuthEvents } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { OAuth1Provider } from '../oauth1/support/oauth1-provider';
import {
  OAuth1App,
  providerBlueprint,
  startOAuth1App,
} from '../oauth1/support/oauth1-app';
import {
  SecureApp,
  SessionKind,
  callbackFor,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';

/** What an attacker writes into a cross-site link: prose for the logs and the hook. */
const ATTACKER_TEXT =
  'Your account is locked, call +1-555-0100 (ATTACKER-TEXT)';

const setCookies = (response: request.Response): string[] =>
  (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];

/** Cross-site links an attacker can make a signed-in victim open, without knowing the state. */
const FORGED_OAUTH2_CALLBACKS: Array<[string, string]> = [
  [
    'an error without state',
    `?error=access_denied&error_description=${encodeURIComponent(ATTACKER_TEXT)}`,
  ],
  [
    'an error with a wrong state',
    `?error=server_error&error_description=${encodeURIComponent(ATTACKER_TEXT)}&state=${'w'.repeat(43)}`,
  ],
  ['a code with a wrong state', `?code=forged-code&state=${'w'.repeat(43)}`],
  ['a code without state', '?code=forged-code'],
  ['an empty callback', ''],
  ['an overlong state', `?code=forged-code&state=${'w'.repeat(600)}`],
  ['a repeated state', '?code=forged-code&state=a&state=b'],
];

/**
 * issue 13 #11: a callback without a valid state still fired the `error` hook (and event) with
 * the attacker's text, and in cookie mode any wrong-state callback cleared the pending state
 * cookie, so a cross-site link could abort a real dance. Nothing happens before the state is
 * valid: no hook, no event, no cookie change, no token request; the real callback still works.
 */
describe.each<SessionKind>(['none', 'express-session'])(
  'issue 13 #11: nothing happens before the state is valid (OAuth 2.0, session: %s)',
  (sessionKind) => {
    let server: LocalAuthorizationServer;
    let app: SecureApp;
    let errors: OAuthErrorEvent[];
    let events: OAuthErrorEvent[];

    beforeAll(async () => {
      server = await LocalAuthorizationServer.start();
      app = await startSecureApp(server, {
        session: sessionKind,
        stateSecret: 's'.repeat(40),
        userRequired: false,
        hooks: { error: (event) => void errors.push(event) },
      });
      app.app.get(OAuthEvents).on('error', (event) => void events.push(event));
    });
    afterAll(async () => {
      await app?.close();
      await server?.stop();
    });
    beforeEach(() => {
      errors = [];
      events = [];
    });

    const tokenRequests = async () =>
      (await server.stats()).tokenRequests.authorization_code;

    it.each(FORGED_OAUTH2_CALLBACKS)(
      '%s: 4xx, no error hook, the pending dance untouched and still completes',
      async (_label, query) => {
        const browser = app.browser();
        if (sessionKind !== 'none') await signIn(browser, 'victim');
        const pending = await callbackFor(browser, server);
        const before = await tokenRequests();

        const forged = await browser
          .get(`/login/local/authorized${query}`)
          .set('accept', 'application/json');
        expect(forged.status).toBeGreaterThanOrEqual(400);
        expect(forged.status).toBeLessThan(500);
        expect(forged.text).not.toContain('ATTACKER-TEXT');
        expect(setCookies(forged)).toEqual([]);
        expect([errors, events]).toEqual([[], []]);
        expect(await tokenRequests()).toBe(before);

        const real = await browser.get(pathOf(pending));
        expect(real.status).toBe(302);
        expect(await tokenRequests()).toBe(before + 1);
      },
    );

    it('a provider error with the valid state still reaches the error hook', async () => {
      const browser = app.browser();
      const start = await browser
        .get('/login/local?next=/settings')
        .expect(302);
      const state = new URL(start.headers.location).searchParams.get('state')!;
      const answer = await browser
        .get(
          `/login/local/authorized?error=access_denied&error_description=no%20thanks&state=${state}`,
        )
        .expect(302);
      expect(answer.headers.location).toBe('/settings');
      expect(errors.map((e) => [e.error, e.description])).toEqual([
        ['access_denied', 'no thanks'],
      ]);
    });
  },
);

describe.each([true, false])(
  'issue 13 #11: nothing happens before the request token is valid (OAuth 1.0a, session: %s)',
  (session) => {
    let provider: OAuth1Provider;
    let app: OAuth1App;
    let errors: OAuthErrorEvent[];

    beforeAll(async () => {
      provider = await OAuth1Provider.start();
      app = await startOAuth1App({
        session,
        stateSecret: 's'.repeat(40),
        userRequired: false,
        blueprints: [providerBlueprint(provider, 'HMAC-SHA1')],
        hooks: { error: (event) => void errors.push(event) },
      });
    });
    afterAll(async () => {
      await app?.close();
      await provider?.stop();
    });
    beforeEach(() => {
      errors = [];
    });

    it.each([
      ['a refusal for an unknown request token', '?denied=forged-token'],
      [
        'a problem report without request token',
        `?oauth_problem=${encodeURIComponent(ATTACKER_TEXT)}`,
      ],
      [
        'a refusal with an unknown token',
        '?oauth_token=forged-token&oauth_verifier=denied',
      ],
      [
        'a verifier with an unknown token',
        '?oauth_token=forged-token&oauth_verifier=abc',
      ],
      ['a verifier without token', '?oauth_verifier=abc'],
    ])(
      '%s: 4xx, no error hook, the pending dance untouched and still completes',
      async (_label, query) => {
        const browser = app.browser();
        const begin = await browser.get('/login/acme').expect(302);
        const pending = await provider.authorize(begin.headers.location);
        const before = provider.stats().accessTokenRequests;

        const forged = await browser
          .get(`/login/acme/authorized${query}`)
          .set('accept', 'application/json');
        expect(forged.status).toBeGreaterThanOrEqual(400);
        expect(forged.status).toBeLessThan(500);
        expect(forged.text).not.toContain('ATTACKER-TEXT');
        expect(setCookies(forged)).toEqual([]);
        expect(errors).toEqual([]);
        expect(provider.stats().accessTokenRequests).toBe(before);

        const real = await browser.get(`${pending.pathname}${pending.search}`);
        expect(real.status).toBe(302);
        expect(provider.stats().accessTokenRequests).toBe(before + 1);
      },
    );
  },
);

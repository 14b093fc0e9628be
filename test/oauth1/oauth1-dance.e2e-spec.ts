import {
  AuthorizedEvent,
  MemoryTokenStorage,
  OAuthEvents,
  OAuthToken,
  SessionTokenStorage,
} from 'nest-dance';
import { OAuth1Provider } from './support/oauth1-provider';
import {
  OAuth1App,
  providerBlueprint,
  startOAuth1App,
  walkOAuth1Dance,
} from './support/oauth1-app';
import { TEST_PLATFORMS } from '../support/platform-app';

const cases = (['HMAC-SHA1', 'RSA-SHA1'] as const).flatMap((method) =>
  TEST_PLATFORMS.map((platform) => ({ method, platform })),
);

describe.each(cases)(
  'The OAuth 1.0a dance with $method against a real local OAuth 1.0a provider on $platform',
  ({ method, platform }) => {
    let provider: OAuth1Provider;
    let app: OAuth1App | undefined;

    beforeAll(async () => {
      provider = await OAuth1Provider.start();
    });
    afterAll(() => provider.stop());
    beforeEach(() => provider.resetStats());
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    const memory = () => app!.storage as MemoryTokenStorage;

    it('gets a signed request token with oauth_callback and redirects to the authorization page', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
      });
      const start = await app.browser().get('/login/acme').expect(302);
      expect(start.headers['cache-control']).toBe('no-store');
      const url = new URL(start.headers.location);
      expect(`${url.origin}${url.pathname}`).toBe(
        provider.endpoint('authorize'),
      );
      expect(url.searchParams.get('oauth_token')).toMatch(/^[0-9a-f]{32}$/);
      // The provider confirmed the callback (1.0a), so it is not repeated here.
      expect(url.searchParams.has('oauth_callback')).toBe(false);
      const stats = provider.stats();
      expect(stats.requestTokenRequests).toBe(1);
      expect(stats.refused).toEqual({});
      expect(stats.lastCallback).toBe(`${app.url}/login/acme/authorized`);
    });

    it('exchanges the authorized request token and stores { access_token, oauth_token_secret, extras } for the signed-in user', async () => {
      const authorized: AuthorizedEvent[] = [];
      app = await startOAuth1App({
        platform,
        blueprints: [
          providerBlueprint(provider, method, {
            userInfoUrl: 'myself',
            profile: (raw) => ({
              id: String(raw.key),
              name: String(raw.displayName),
              raw,
            }),
          }),
        ],
        hooks: { authorized: (event) => void authorized.push(event) },
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
      const { callbackUrl, response } = await walkOAuth1Dance(
        browser,
        provider,
        { user: 'alice', next: '/settings' },
      );
      expect(callbackUrl.searchParams.get('oauth_verifier')).toMatch(
        /^[0-9a-f]{16}$/,
      );
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/settings');

      const token = (await memory().get({
        provider: 'acme',
        userId: 'alice',
      })) as OAuthToken;
      expect(token.access_token).toMatch(/^[0-9a-f]{32}$/);
      expect(token.oauth_token_secret).toMatch(/^[0-9a-f]{32}$/);
      expect(token.oauth_expires_in).toBe('157680000');
      expect(token).not.toHaveProperty('refresh_token');
      expect(provider.hasAccessToken(token.access_token)).toBe(true);
      expect(memory().size).toBe(1);

      // The profile was read with a signed request, before the hook ran.
      expect(authorized).toHaveLength(1);
      expect(authorized[0].token.access_token).toBe(token.access_token);
      expect(authorized[0].profile).toMatchObject({
        id: 'JIRAUSER-alice',
        name: 'Alice Example',
      });
      const stats = provider.stats();
      expect(stats.accessTokenRequests).toBe(1);
      expect(stats.apiCalls).toBe(1);
      expect(stats.refused).toEqual({});
    });

    it('signs blueprint.fetch calls (query parameters, repeated names, form bodies) so the provider accepts them', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'bob' }).expect(201);
      await walkOAuth1Dance(browser, provider, { user: 'bob' });
      const acme = app.registry.get('acme');

      const get = await acme.fetchJson<{ user: string; query: string[][] }>(
        "echo?jql=project%20%3D%20NEST%20AND%20text%20~%20%22caf%C3%A9%22&fields=summary&fields=status&star=*!'()",
        { userId: 'bob' },
      );
      expect(get.user).toBe('bob');
      expect(get.query).toEqual([
        ['jql', 'project = NEST AND text ~ "café"'],
        ['fields', 'summary'],
        ['fields', 'status'],
        ['star', "*!'()"],
      ]);

      const post = await acme.fetchJson<{ method: string; form: string[][] }>(
        'echo?x=1',
        {
          userId: 'bob',
          method: 'POST',
          body: new URLSearchParams([
            ['comment', 'Signed & sealed'],
            ['label', 'a'],
            ['label', 'b'],
          ]),
        },
      );
      expect(post.method).toBe('POST');
      expect(post.form).toEqual([
        ['comment', 'Signed & sealed'],
        ['label', 'a'],
        ['label', 'b'],
      ]);

      // Through the app, as the signed-in user in the request context.
      const viaApp = await browser
        .get('/api/acme/echo')
        .query('q=two%20words')
        .expect(200);
      expect(viaApp.body).toMatchObject({
        user: 'bob',
        query: [['q', 'two words']],
      });
      expect(provider.stats().apiCalls).toBe(3);
      expect(provider.stats().refused).toEqual({});
    });

    it('has its requests refused by the provider when the signature is tampered with, or replayed', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'carol' }).expect(201);
      await walkOAuth1Dance(browser, provider, { user: 'carol' });
      const acme = app.registry.get('acme');

      // The header the provider received, as a man in the middle would see it.
      const { authorization: signed } = await acme.fetchJson<{
        authorization: string;
      }>('echo?amount=10', { userId: 'carol' });
      expect(signed).toMatch(/^OAuth /);
      expect(signed).toContain(`oauth_signature_method="${method}"`);

      const send = (url: string, authorization: string) =>
        fetch(`${provider.url}/rest/api/2/${url}`, {
          headers: { authorization },
        });
      // Same header, another amount: the query is part of the signature.
      const otherQuery = await send('echo?amount=10000', signed);
      expect(otherQuery.status).toBe(401);
      expect(await otherQuery.text()).toBe('oauth_problem=signature_invalid');
      // A flipped signature byte.
      const flipped = signed.replace(
        /oauth_signature="([^"]{4})/,
        (_m, start: string) =>
          `oauth_signature="${start.startsWith('A') ? 'B' : 'A'}${start.slice(1)}`,
      );
      expect(flipped).not.toBe(signed);
      expect((await send('echo?amount=10', flipped)).status).toBe(401);
      // The untouched request once more: its nonce was used already.
      const replay = await send('echo?amount=10', signed);
      expect(replay.status).toBe(401);
      expect(await replay.text()).toBe('oauth_problem=nonce_used');
      expect(provider.stats().refused).toEqual({
        signature_invalid: 2,
        nonce_used: 1,
      });
    });

    it('keeps tokens per user in the memory storage: two users, two tokens, each signing as its owner', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
      });
      for (const name of ['dave', 'erin']) {
        const browser = app.browser();
        await browser.post('/auth/signin').send({ name }).expect(201);
        await walkOAuth1Dance(browser, provider, { user: name });
      }
      const dave = await memory().get({ provider: 'acme', userId: 'dave' });
      const erin = await memory().get({ provider: 'acme', userId: 'erin' });
      expect(dave?.access_token).toBeTruthy();
      expect(erin?.access_token).toBeTruthy();
      expect(dave?.access_token).not.toBe(erin?.access_token);
      const acme = app.registry.get('acme');
      for (const name of ['dave', 'erin']) {
        const answer = await acme.fetchJson<{ user: string }>('echo', {
          userId: name,
        });
        expect(answer.user).toBe(name);
      }
    });

    it('keeps the token in the browser’s session with SessionTokenStorage: the other browser is not connected', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
        storage: SessionTokenStorage,
      });
      const first = app.browser();
      const second = app.browser();
      await walkOAuth1Dance(first, provider, { user: 'frank' });
      const mine = await first.get('/api/acme/echo').expect(200);
      expect(mine.body.user).toBe('frank');
      await first.get('/api/acme/connected').expect(200, { connected: true });
      await second.get('/api/acme/connected').expect(200, { connected: false });
    });

    it('runs without express-session: the request token secret rides in a sealed, HttpOnly cookie scoped to the blueprint', async () => {
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
        session: false,
        stateSecret: 'o'.repeat(40),
        userRequired: false,
      });
      const browser = app.browser();
      const start = await browser.get('/login/acme').expect(302);
      const cookie = (start.headers['set-cookie'] as unknown as string[]).find(
        (c) => c.startsWith('nest-dance.state.acme='),
      )!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\/login\/acme/);
      const callbackUrl = await provider.authorize(start.headers.location, {
        user: 'gina',
      });
      const response = await browser
        .get(`${callbackUrl.pathname}${callbackUrl.search}`)
        .expect(302);
      expect(response.headers.location).toBe('/');
      const token = await memory().get({ provider: 'acme', userId: null });
      expect(token?.access_token).toBeTruthy();
      // The sealed cookie does not show the request token secret.
      expect(cookie).not.toMatch(/oauth|secret/i);
    });

    it('fires beforeLogin and authorized events, and honours authorized returning false (nothing stored)', async () => {
      const seen: string[] = [];
      app = await startOAuth1App({
        platform,
        blueprints: [providerBlueprint(provider, method)],
        hooks: { authorized: () => false },
      });
      const events = app.app.get(OAuthEvents);
      events.on(
        'beforeLogin',
        ({ url }) => void seen.push(new URL(url).origin),
      );
      events.on('authorized', ({ token }) => void seen.push(typeof token));
      const { response } = await walkOAuth1Dance(app.browser(), provider);
      expect(response.status).toBe(302);
      expect(seen).toEqual([new URL(provider.url).origin, 'object']);
      expect(memory().size).toBe(0);
    });
  },
);

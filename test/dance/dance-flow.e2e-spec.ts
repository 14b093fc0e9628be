import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import {
  AuthorizedEvent,
  BaseTokenStorage,
  MemoryTokenStorage,
  OAuthErrorEvent,
  OAuthEvents,
  OAuthToken,
  SessionTokenStorage,
  TokenMissingError,
  oidc,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DanceApp,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';
import { TEST_PLATFORMS } from '../support/platform-app';

/** A custom storage whose database is down: every write fails. */
@Injectable()
class BrokenDatabaseStorage extends BaseTokenStorage {
  async get(): Promise<OAuthToken | null> {
    return null;
  }
  async set(): Promise<void> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
  async delete(): Promise<void> {}
}

const suite =
  'The OAuth 2.0 dance against a real local authorization server on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
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

  const tokenRequests = async () =>
    (await server.stats()).tokenRequests.authorization_code;
  const memory = () => app!.storage as MemoryTokenStorage;

  describe('login', () => {
    it('redirects to the provider with a fresh state, an S256 challenge, the client and the callback', async () => {
      app = await startDanceApp(server, { platform });
      const browser = app.browser();
      const first = await browser.get('/login/local').expect(302);
      expect(first.headers['cache-control']).toBe('no-store');
      const url = new URL(first.headers.location);
      expect(`${url.origin}${url.pathname}`).toBe(
        server.endpoints.authorization,
      );
      const params = url.searchParams;
      expect(params.get('response_type')).toBe('code');
      expect(params.get('client_id')).toBe(server.clientId);
      expect(params.get('redirect_uri')).toBe(
        `${app.url}/login/local/authorized`,
      );
      expect(params.get('scope')).toBe('openid profile email offline_access');
      expect(params.get('prompt')).toBe('consent');
      expect(params.get('code_challenge_method')).toBe('S256');
      expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      const second = new URL(
        (await browser.get('/login/local').expect(302)).headers.location,
      );
      expect(second.searchParams.get('state')).not.toBe(params.get('state'));
      expect(second.searchParams.get('code_challenge')).not.toBe(
        params.get('code_challenge'),
      );
    });

    it('fires the beforeLogin hook and event with the provider URL', async () => {
      const seen: string[] = [];
      app = await startDanceApp(server, {
        platform,
        hooks: {
          beforeLogin: ({ url }) =>
            void seen.push(`hook:${new URL(url).origin}`),
        },
      });
      app.app
        .get(OAuthEvents)
        .on(
          'beforeLogin',
          ({ url }) => void seen.push(`event:${new URL(url).origin}`),
        );
      await app.browser().get('/login/local').expect(302);
      expect(seen).toEqual([`hook:${server.issuer}`, `event:${server.issuer}`]);
    });

    it('answers 404 for an unknown provider', async () => {
      app = await startDanceApp(server, { platform });
      const response = await app
        .browser()
        .get('/login/gitlab')
        .set('accept', 'application/json')
        .expect(404);
      expect(response.body.message).toContain("Unknown provider 'gitlab'");
    });
  });

  describe('callback', () => {
    it('exchanges the code and stores the token for the signed-in user, with expires_at', async () => {
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
      const before = Math.floor(Date.now() / 1000);
      const { callbackUrl, response } = await walkDance(browser, server, {
        user: 'alice',
      });
      expect(callbackUrl.searchParams.get('code')).toBeTruthy();
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      const token = await app.storage.get({
        provider: 'local',
        userId: 'alice',
      });
      expect(token?.access_token).toEqual(expect.any(String));
      expect(token?.refresh_token).toEqual(expect.any(String));
      expect(token?.id_token).toEqual(expect.any(String));
      expect(token?.expires_at).toBeGreaterThanOrEqual(before + 3600 - 5);
      expect(token?.expires_at).toBeLessThanOrEqual(before + 3600 + 5);
      expect(await tokenRequests()).toBe(1);
      await browser.get('/landing').expect(200, { connected: true });
    });

    it('keeps the ten newest dances of one session pending: each callback spends its own, the oldest is refused', async () => {
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
      const starts: string[] = [];
      for (let i = 0; i < 11; i++)
        starts.push(
          (await browser.get('/login/local').expect(302)).headers.location,
        );
      const callbackOf = async (start: string) => {
        const url = new URL(
          await server.completeAuthorization(start, { user: 'alice' }),
        );
        return `${url.pathname}${url.search}`;
      };
      // The oldest of eleven was dropped: its callback is refused before any token request.
      const oldest = await browser.get(await callbackOf(starts[0]));
      expect(oldest.status).toBe(403);
      expect(await tokenRequests()).toBe(0);
      // An older pending dance and the newest both finish, in any order.
      await browser.get(await callbackOf(starts[10])).expect(302);
      const second = await callbackOf(starts[1]);
      await browser.get(second).expect(302);
      expect(await tokenRequests()).toBe(2);
      // A spent state cannot be replayed.
      expect((await browser.get(second)).status).toBe(403);
      expect(await tokenRequests()).toBe(2);
    });

    it('works with the session storage: the token lives in the browser session', async () => {
      app = await startDanceApp(server, {
        platform,
        storage: SessionTokenStorage,
      });
      const browser = app.browser();
      await walkDance(browser, server, {});
      await browser.get('/landing').expect(200, { connected: true });
      await app.browser().get('/landing').expect(200, { connected: false });
    });

    it('Flask-Dance 1: no express-session and no user: the sealed state cookie carries the dance; one userless token', async () => {
      app = await startDanceApp(server, {
        platform,
        session: false,
        stateSecret: 's'.repeat(40),
        userRequired: false,
      });
      const browser = app.browser();
      const start = await browser.get('/login/local').expect(302);
      const cookie = (start.headers['set-cookie'] as unknown as string[]).find(
        (c) => c.startsWith('nest-dance.state.local='),
      );
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\/login\/local/);
      const callbackUrl = new URL(
        await server.completeAuthorization(start.headers.location, {
          user: 'alice',
        }),
      );
      const response = await browser
        .get(`${callbackUrl.pathname}${callbackUrl.search}`)
        .expect(302);
      expect(response.headers.location).toBe('/');
      expect(memory().size).toBe(1);
      expect(
        (await memory().get({ provider: 'local', userId: null }))?.access_token,
      ).toBeTruthy();
      const cleared = (
        response.headers['set-cookie'] as unknown as string[]
      ).find((c) => c.startsWith('nest-dance.state.local='));
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    });

    it('refuses a tampered state cookie without a token request', async () => {
      app = await startDanceApp(server, {
        platform,
        session: false,
        stateSecret: 's'.repeat(40),
      });
      const browser = app.browser();
      const start = await browser.get('/login/local').expect(302);
      const callbackUrl = new URL(
        await server.completeAuthorization(start.headers.location, {}),
      );
      const other = app.browser();
      const sealed = (start.headers['set-cookie'] as unknown as string[])[0]
        .split(';')[0]
        .split('=')[1];
      const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
      await other
        .get(`${callbackUrl.pathname}${callbackUrl.search}`)
        .set('cookie', `nest-dance.state.local=${flipped}`)
        .expect(403);
      expect(await tokenRequests()).toBe(0);
      expect(memory().size).toBe(0);
    });

    it('Flask-Dance 5: alice then bob dance in current-user mode: two tokens, each their own', async () => {
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
      });
      for (const name of ['alice', 'bob']) {
        const browser = app.browser();
        await browser.post('/auth/signin').send({ name }).expect(201);
        await walkDance(browser, server, { user: name });
        await browser.get('/landing').expect(200, { connected: true });
      }
      expect(memory().size).toBe(2);
      const alice = await memory().get({ provider: 'local', userId: 'alice' });
      const bob = await memory().get({ provider: 'local', userId: 'bob' });
      expect(alice?.access_token).toBeTruthy();
      expect(bob?.access_token).toBeTruthy();
      expect(alice?.access_token).not.toBe(bob?.access_token);
      const sue = app.browser();
      await sue.post('/auth/signin').send({ name: 'sue' }).expect(201);
      await sue.get('/landing').expect(200, { connected: false });
    });

    it('Flask-Dance 6: nobody signed in with a user required: redirects, error hook once, nothing stored', async () => {
      const errors: OAuthErrorEvent[] = [];
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
        hooks: { error: (event) => void errors.push(event) },
      });
      const { response } = await walkDance(app.browser(), server, {});
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/');
      expect(errors).toHaveLength(1);
      expect(errors[0].error).toBe('storage_failed');
      expect(errors[0].description).toMatch(
        /cannot set OAuth token without an associated user/i,
      );
      expect(memory().size).toBe(0);
    });

    it('Flask-Dance 7: the authorized hook uses the new token to create and sign in the user, who then owns it', async () => {
      const users = new Map<string, { id: string; name: string }>();
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
        hooks: {
          async authorized({ blueprint, token, request }) {
            const me = (await (
              await blueprint.fetch(server.endpoints.userinfo, { token })
            ).json()) as {
              sub: string;
            };
            const user = { id: `local-${me.sub}`, name: me.sub };
            users.set(user.id, user);
            (request.session as unknown as { userName: string }).userName =
              user.id;
            return { user };
          },
        },
      });
      const browser = app.browser();
      const { response } = await walkDance(browser, server, { user: 'carol' });
      expect(response.status).toBe(302);
      expect([...users.keys()]).toEqual(['local-carol']);
      expect(memory().size).toBe(1);
      expect(
        await memory().get({ provider: 'local', userId: 'local-carol' }),
      ).not.toBeNull();
      await browser.get('/landing').expect(200, { connected: true });
    });

    it('an authorized hook returning false skips storing', async () => {
      app = await startDanceApp(server, {
        platform,
        hooks: { authorized: () => false },
      });
      const { response } = await walkDance(app.browser(), server, {});
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/');
      expect(await tokenRequests()).toBe(1);
      expect(memory().size).toBe(0);
    });

    it('an authorized hook returning a redirect sends the browser there and skips storing', async () => {
      app = await startDanceApp(server, {
        platform,
        hooks: { authorized: () => ({ redirect: '/welcome' }) },
      });
      const { response } = await walkDance(app.browser(), server, {});
      expect(response.headers.location).toBe('/welcome');
      expect(memory().size).toBe(0);
    });

    it('the authorized event carries the token and the mapped profile', async () => {
      const seen: AuthorizedEvent[] = [];
      app = await startDanceApp(server, {
        platform,
        blueprints: [
          localBlueprint(server, {
            profile: (claims) => ({
              id: String(claims.sub),
              email: claims.email as string,
              raw: claims,
            }),
          }),
        ],
      });
      app.app
        .get(OAuthEvents)
        .on('authorized', (event) => void seen.push(event));
      await walkDance(app.browser(), server, { user: 'dave' });
      expect(seen).toHaveLength(1);
      expect(seen[0].profile?.id).toBe('dave');
      expect(seen[0].token.access_token).toBeTruthy();
    });

    it('a second dance for the same owner replaces the stored token', async () => {
      app = await startDanceApp(server, {
        platform,
        user: (request) => (request as { user?: unknown }).user,
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'erin' }).expect(201);
      await walkDance(browser, server, { user: 'erin' });
      const first = await memory().get({ provider: 'local', userId: 'erin' });
      await walkDance(browser, server, { user: 'erin' });
      const second = await memory().get({ provider: 'local', userId: 'erin' });
      expect(memory().size).toBe(1);
      expect(second?.access_token).not.toBe(first?.access_token);
    });

    it('oidc() completes the dance from discovery alone', async () => {
      const blueprint = oidc({
        name: 'local',
        issuer: server.issuer,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        scope: ['openid', 'email', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
      });
      expect(blueprint.tokenUrl).toBeUndefined();
      app = await startDanceApp(server, {
        platform,
        blueprints: [blueprint],
        userRequired: false,
      });
      expect(app.blueprint().options.tokenUrl).toBe(server.endpoints.token);
      expect(app.blueprint().options.userInfoUrl).toBe(
        server.endpoints.userinfo,
      );
      const { response } = await walkDance(app.browser(), server, {
        user: 'frank',
      });
      expect(response.status).toBe(302);
      const token = await memory().get({ provider: 'local', userId: null });
      expect(token?.id_token).toBeTruthy();
      const me = await app.blueprint().fetch('/me', { userId: null });
      expect(((await me.json()) as { sub: string }).sub).toBe('frank');
    });
  });

  describe('blueprint.fetch', () => {
    it('calls the API with the stored token, and says clearly when there is none', async () => {
      app = await startDanceApp(server, {
        platform,
        userRequired: false,
      });
      await expect(
        app.blueprint().fetch('/me', { userId: 'nobody' }),
      ).rejects.toThrow(TokenMissingError);
      await expect(
        app.blueprint().fetch('/me', { userId: 'nobody' }),
      ).rejects.toThrow(
        "No 'local' token for this user: send them through the dance first (/login/local)",
      );
      const browser = app.browser();
      await walkDance(browser, server, { user: 'gina' });
      const response = await app.blueprint().fetch('/me', { userId: null });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { sub: string }).sub).toBe('gina');
    });

    it('never sends the token to another origin', async () => {
      app = await startDanceApp(server, {
        platform,
        userRequired: false,
      });
      await expect(
        app.blueprint().fetch('https://evil.example/steal', {
          token: { access_token: 'secret-at' },
        }),
      ).rejects.toThrow(
        /Refusing to send the 'local' token to https:\/\/evil.example/,
      );
      await expect(
        app.blueprint().fetch('//evil.example/steal', {
          token: { access_token: 'secret-at' },
        }),
      ).rejects.toThrow(/Refusing to send/);
    });
  });

  it('keeps the request of each concurrent callback apart (no shared per-blueprint state)', async () => {
    app = await startDanceApp(server, {
      platform,
      user: (request: Request) => (request as { user?: unknown }).user,
    });
    const names = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const browsers = await Promise.all(
      names.map(async (name) => {
        const browser = app!.browser();
        await browser.post('/auth/signin').send({ name }).expect(201);
        const start = await browser.get('/login/local').expect(302);
        const callback = new URL(
          await server.completeAuthorization(start.headers.location, {
            user: name,
          }),
        );
        return { name, browser, callback };
      }),
    );
    await Promise.all(
      browsers.map(({ browser, callback }) =>
        browser.get(`${callback.pathname}${callback.search}`).expect(302),
      ),
    );
    for (const { name } of browsers) {
      const me = await app.blueprint().fetch('/me', { userId: name });
      expect(((await me.json()) as { sub: string }).sub).toBe(name);
    }
  });

  it('shows a clear error when the token cannot be stored, and stores nothing', async () => {
    const errors: OAuthErrorEvent[] = [];
    app = await startDanceApp(server, {
      platform,
      storage: BrokenDatabaseStorage,
      hooks: { error: (event) => void errors.push(event) },
      userRequired: false,
    });
    const { response } = await walkDance(app.browser(), server, {});
    expect(response.status).toBe(500);
    expect(response.text).toContain('connection could not be saved');
    expect(response.text).not.toContain('ECONNREFUSED');
    expect(errors.map((e) => e.error)).toEqual(['storage_failed']);
  });
});

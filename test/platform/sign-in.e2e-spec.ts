import { Controller, Get, Post, Req } from '@nestjs/common';
import {
  Blueprint,
  InjectBlueprint,
  SessionTokenStorage,
  signIn,
  signOut,
  signedInUser,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { DanceApp, localBlueprint, startDanceApp } from '../support/dance-app';
import { TEST_PLATFORMS, TestSession } from '../support/platform-app';

interface AppUser {
  id: string;
  name?: string;
}

@Controller('who')
class WhoController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  /** Who `signedInUser` says is signed in, and whether their token is there. */
  @Get()
  async who(@Req() req: unknown) {
    const user = signedInUser<AppUser>(req) ?? null;
    // Tokens need a user here (the `user` option is set): only ask when someone is signed in.
    return { user, connected: user ? await this.local.isAuthorized() : false };
  }

  @Post('out')
  async out(@Req() req: unknown) {
    await signOut(req);
    return { user: signedInUser(req) ?? null };
  }
}

/** The name of the session cookie each plugin sets. */
const SESSION_COOKIE: Record<string, RegExp> = {
  express: /^(connect\.sid|app-session)=/,
  fastify: /^(sessionId|app-session)=/,
};

describe.each(TEST_PLATFORMS)(
  '"Sign in with the provider": signIn() in the authorized hook on %s',
  (platform) => {
    let server: LocalAuthorizationServer;
    let app: DanceApp | undefined;

    beforeAll(async () => {
      server = await LocalAuthorizationServer.start();
    });
    afterAll(() => server.stop());
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    const start = (session: TestSession) =>
      startDanceApp(server, {
        platform,
        session,
        storage: SessionTokenStorage,
        blueprints: [
          localBlueprint(server, {
            profile: (claims) => ({
              id: String(claims.sub),
              name: typeof claims.name === 'string' ? claims.name : undefined,
              raw: claims,
            }),
          }),
        ],
        user: (req) => signedInUser<AppUser>(req),
        hooks: {
          async authorized({ request, profile }) {
            if (!profile) return false;
            const user: AppUser = { id: `local:${profile.id}` };
            await signIn(request, user);
            return { user };
          },
        },
        controllers: [WhoController],
      });

    const sessionCookieOf = (response: request.Response) =>
      ((response.headers['set-cookie'] as unknown as string[]) ?? [])
        .find((cookie) => SESSION_COOKIE[platform].test(cookie))
        ?.split(';')[0];

    it.each(['server', 'cookie'] as const)(
      'with a %s session: the dance signs the user in under a new session id, the token is theirs, signOut ends both',
      async (session) => {
        app = await start(session);
        const browser = app.browser();
        expect((await browser.get('/who').expect(200)).body).toEqual({
          user: null,
          connected: false,
        });
        const login = await browser.get('/login/local').expect(302);
        const before = sessionCookieOf(login);
        expect(before).toBeDefined(); // the state waits in the session
        const callback = new URL(
          await server.completeAuthorization(login.headers.location, {
            user: 'alice',
          }),
        );
        const back = await browser
          .get(`${callback.pathname}${callback.search}`)
          .expect(302);
        expect(back.headers.location).toBe('/');
        const after = sessionCookieOf(back);
        expect(after).toBeDefined();
        expect(after).not.toBe(before);

        expect((await browser.get('/who').expect(200)).body).toEqual({
          user: { id: 'local:alice' },
          connected: true,
        });
        if (session === 'server') {
          // The session id from before sign-in (planted, say) is worth nothing.
          const planted = await request(app.url)
            .get('/who')
            .set('Cookie', before!)
            .expect(200);
          expect(planted.body).toEqual({ user: null, connected: false });
        }
        await browser.post('/who/out').expect(201);
        expect((await browser.get('/who').expect(200)).body).toEqual({
          user: null,
          connected: false,
        });
      },
    );

    it('without a session, signIn fails the dance cleanly: an error page, nobody signed in', async () => {
      app = await start('none');
      const browser = app.browser();
      const login = await browser.get('/login/local').expect(302);
      const callback = new URL(
        await server.completeAuthorization(login.headers.location, {
          user: 'bob',
        }),
      );
      const page = await browser
        .get(`${callback.pathname}${callback.search}`)
        .set('accept', 'application/json')
        .expect(500);
      expect(page.body.message).toBe('The app could not finish the login.');
    });
  },
);

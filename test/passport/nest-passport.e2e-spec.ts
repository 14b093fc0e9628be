import {
  Controller,
  Get,
  INestApplication,
  Injectable,
  Module,
  Req,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AuthGuard,
  PassportModule,
  PassportSerializer,
  PassportStrategy,
} from '@nestjs/passport';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import session from 'express-session';
import passport from 'passport';
import {
  Blueprint,
  DanceService,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthProfile,
  OAuthToken,
  RequireToken,
  SessionTokenStorage,
  TOKEN_STORAGE,
  TokenStorage,
  TokenStorageBinding,
  danceStrategy,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { localBlueprint } from '../support/dance-app';
import { freePort } from '../support/free-port';

interface AppUser {
  id: string;
  name?: string;
}

/** What `validate` saw and decides, per test. */
interface ValidateScript {
  seen: Array<{ token: OAuthToken; profile?: OAuthProfile }>;
  decide(profile?: OAuthProfile): AppUser | null;
}

/** Users kept by id, as an app's `serializeUser`/`deserializeUser` would with a database. */
@Injectable()
class UserSerializer extends PassportSerializer {
  static readonly users = new Map<string, AppUser>();

  serializeUser(user: AppUser, done: (error: unknown, id?: string) => void) {
    UserSerializer.users.set(user.id, user);
    done(null, user.id);
  }

  deserializeUser(id: string, done: (error: unknown, user?: AppUser) => void) {
    done(null, UserSerializer.users.get(id));
  }
}

@Controller()
class AuthController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get('auth/local')
  @UseGuards(AuthGuard('local'))
  login(): void {}

  @Get('auth/local/callback')
  @UseGuards(AuthGuard('local'))
  callback(@Req() req: { user?: AppUser; sessionID?: string }) {
    return { user: req.user ?? null, sessionId: req.sessionID ?? null };
  }

  /** The signed-in user, restored by passport's session from `deserializeUser`. */
  @Get('me')
  me(@Req() req: { user?: AppUser }) {
    return { user: req.user ?? null };
  }

  /** The provider's API with the signed-in user's stored token (refreshed when due). */
  @Get('me/provider')
  @RequireToken('local')
  provider(): Promise<unknown> {
    return this.local.fetchJson('/api/user');
  }
}

interface PassportApp {
  app: INestApplication;
  url: string;
  storage: TokenStorage;
  browser(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

async function startPassportApp(
  server: LocalAuthorizationServer,
  script: ValidateScript,
  options: {
    storage?: TokenStorageBinding;
    userRequired?: boolean;
    platform?: 'express' | 'fastify';
  } = {},
): Promise<PassportApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const callbackUrl = `${url}/auth/local/callback`;
  await server.registerClient({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    redirectUris: [callbackUrl],
  });

  @Injectable()
  class LocalStrategy extends PassportStrategy(
    danceStrategy('local'),
    'local',
  ) {
    constructor(dance: DanceService) {
      super(dance, { callbackUrl });
    }

    validate(token: OAuthToken, profile?: OAuthProfile): AppUser | null {
      script.seen.push({ token, profile });
      return script.decide(profile);
    }
  }

  @Module({
    imports: [
      PassportModule.register({ session: true }),
      OAuthConsumerModule.forRoot({
        publicUrl: url,
        blueprints: [
          localBlueprint(server, {
            profile: (claims) => ({
              id: String(claims.sub),
              name: typeof claims.name === 'string' ? claims.name : undefined,
              raw: claims,
            }),
          }),
        ],
        storage: options.storage ?? MemoryTokenStorage,
        user: (req: { user?: unknown }) => req.user,
        userRequired: options.userRequired ?? true,
      }),
    ],
    controllers: [AuthController],
    providers: [LocalStrategy, UserSerializer],
  })
  class PassportAppModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [PassportAppModule],
  }).compile();
  const app =
    options.platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), {
          logger: false,
        })
      : moduleRef.createNestApplication({ logger: false });
  if (options.platform !== 'fastify') {
    app.use(
      session({
        secret: 'passport-test-session',
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax' },
      }),
    );
    app.use(passport.session());
  }
  await app.listen(port, '127.0.0.1');
  return {
    app,
    url,
    storage: app.get(TOKEN_STORAGE),
    browser: () => request.agent(url),
    close: () => app.close(),
  };
}

/** The provider's redirect back to the app's callback route, for `browser`'s login. */
async function loginAtProvider(
  browser: ReturnType<typeof request.agent>,
  server: LocalAuthorizationServer,
  user = 'alice',
): Promise<{ authorizationUrl: URL; callback: URL; sessionCookie?: string }> {
  const start = await browser.get('/auth/local').expect(302);
  const authorizationUrl = new URL(start.headers.location);
  const callback = new URL(
    await server.completeAuthorization(authorizationUrl.toString(), { user }),
  );
  return { authorizationUrl, callback, sessionCookie: sessionCookieOf(start) };
}

/** The express-session cookie a response sets, if any. */
function sessionCookieOf(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as
    string[] | undefined;
  return cookies
    ?.find((cookie) => cookie.startsWith('connect.sid='))
    ?.split(';')[0];
}

const byProfile = (profile?: OAuthProfile): AppUser | null =>
  profile ? { id: `local:${profile.id}`, name: profile.name } : null;

describe('@nestjs/passport: PassportStrategy(danceStrategy(name)) with the real AuthGuard and PassportModule', () => {
  let server: LocalAuthorizationServer;
  let app: PassportApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await app?.close();
    app = undefined;
    UserSerializer.users.clear();
  });

  it("AuthGuard('local') on the app's login route redirects with state, PKCE S256 and the app's callback URL", async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const start = await app.browser().get('/auth/local').expect(302);
    const url = new URL(start.headers.location);
    expect(`${url.origin}${url.pathname}`).toBe(server.endpoints.authorization);
    expect(url.searchParams.get('redirect_uri')).toBe(
      `${app.url}/auth/local/callback`,
    );
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
    expect(start.headers['cache-control']).toBe('no-store');
    expect(script.seen).toEqual([]);
  });

  it('the callback calls validate(token, profile), logs the user in with req.login (a new session id) and stores the token for them', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const before = await browser.get('/me').expect(200);
    expect(before.body.user).toBeNull();
    const { callback, sessionCookie } = await loginAtProvider(
      browser,
      server,
      'alice',
    );
    // The dance's state waits in the session the login route started.
    expect(sessionCookie).toBeDefined();
    expect(callback.searchParams.get('iss')).toBe(server.issuer);
    const done = await browser
      .get(`${callback.pathname}${callback.search}`)
      .expect(200);
    // req.login renewed the session: another id than the one that carried the state.
    const renewed = sessionCookieOf(done);
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(sessionCookie);

    expect(script.seen).toHaveLength(1);
    const [{ token, profile }] = script.seen;
    expect(token.access_token).toEqual(expect.any(String));
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(profile?.id).toBe('alice');
    expect(done.body.user).toEqual({ id: 'local:alice', name: profile?.name });
    // passport's session: the user comes back on the next request, from deserializeUser.
    expect((await browser.get('/me').expect(200)).body.user).toEqual(
      done.body.user,
    );
    const stored = await app.storage.get({
      provider: 'local',
      userId: 'local:alice',
    });
    expect(stored?.access_token).toBe(token.access_token);
    expect(
      await app.storage.get({ provider: 'local', userId: null }),
    ).toBeNull();
    // The token works for the signed-in user through blueprint.fetch.
    const api = await browser.get('/me/provider').expect(200);
    expect(api.body.sub).toBe('alice');
  });

  it('with SessionTokenStorage the token lands in the session req.login renewed (the old session id is worth nothing)', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script, {
      storage: SessionTokenStorage,
    });
    const browser = app.browser();
    const { callback, sessionCookie } = await loginAtProvider(
      browser,
      server,
      'carol',
    );
    const done = await browser
      .get(`${callback.pathname}${callback.search}`)
      .expect(200);
    expect(done.body.user.id).toBe('local:carol');
    const api = await browser.get('/me/provider').expect(200);
    expect(api.body.sub).toBe('carol');
    // The session id from before the login (planted, say) is worth nothing now.
    const planted = await request(app.url)
      .get('/me')
      .set('Cookie', sessionCookie!)
      .expect(200);
    expect(planted.body.user).toBeNull();
    // Another browser (another session) has neither the user nor the token.
    const other = app.browser();
    expect((await other.get('/me').expect(200)).body.user).toBeNull();
  });

  it('a token that expired is refreshed through blueprint.fetch afterwards', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'dave');
    await browser.get(`${callback.pathname}${callback.search}`).expect(200);
    const key = { provider: 'local', userId: 'local:dave' };
    const first = (await app.storage.get(key))!;
    await app.storage.set(key, {
      ...first,
      expires_at: Math.floor(Date.now() / 1000) - 10,
    });
    await server.expireAccessTokens();
    const api = await browser.get('/me/provider').expect(200);
    expect(api.body.sub).toBe('dave');
    const refreshed = (await app.storage.get(key))!;
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.expires_at).toBeGreaterThan(Date.now() / 1000 + 60);
  });

  it('a forged state never reaches validate: the dance refuses it with its 403 page, nothing is stored', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'eve');
    callback.searchParams.set('state', 'A'.repeat(43));
    const refused = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('accept', 'application/json')
      .expect(403);
    expect(refused.body.error).toBe('OAuthDanceError');
    expect(script.seen).toEqual([]);
    expect(
      await app.storage.get({ provider: 'local', userId: 'local:eve' }),
    ).toBeNull();
  });

  it('a reused callback (same state twice) is refused the second time', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'frank');
    const path = `${callback.pathname}${callback.search}`;
    await browser.get(path).expect(200);
    await browser.get(path).set('accept', 'application/json').expect(403);
    expect(script.seen).toHaveLength(1);
  });

  it('an iss from another issuer is refused before the code is exchanged', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'grace');
    callback.searchParams.set('iss', 'https://evil.example');
    const refused = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('accept', 'application/json')
      .expect(403);
    expect(refused.body.message).toMatch(/another issuer/);
    expect(script.seen).toEqual([]);
  });

  it('validate returning no user, with a user required: 401 from the guard, nothing stored', async () => {
    const script: ValidateScript = { seen: [], decide: () => null };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'heidi');
    await browser.get(`${callback.pathname}${callback.search}`).expect(401);
    expect(script.seen).toHaveLength(1);
    expect(
      await app.storage.get({ provider: 'local', userId: null }),
    ).toBeNull();
  });

  it('validate returning no user, userless tokens allowed: the token is stored without an owner, the route runs without req.user', async () => {
    const script: ValidateScript = { seen: [], decide: () => null };
    app = await startPassportApp(server, script, { userRequired: false });
    const browser = app.browser();
    const { callback } = await loginAtProvider(browser, server, 'ivan');
    const done = await browser
      .get(`${callback.pathname}${callback.search}`)
      .expect(200);
    expect(done.body.user).toBeNull();
    const stored = await app.storage.get({ provider: 'local', userId: null });
    expect(stored?.access_token).toBe(script.seen[0].token.access_token);
  });

  it('the provider saying no (access_denied) reaches neither validate nor the storage', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    app = await startPassportApp(server, script);
    const browser = app.browser();
    const start = await browser.get('/auth/local').expect(302);
    const callback = new URL(
      await server.completeAuthorization(start.headers.location, {
        user: 'judy',
        approve: false,
      }),
    );
    expect(callback.searchParams.get('error')).toBe('access_denied');
    // As on nest-dance's own routes: the error hook runs, the browser goes to redirectTo.
    const answer = await browser
      .get(`${callback.pathname}${callback.search}`)
      .expect(302);
    expect(answer.headers.location).toBe('/');
    expect(script.seen).toEqual([]);
    expect(
      await app.storage.get({ provider: 'local', userId: 'local:judy' }),
    ).toBeNull();
  });

  it('on Fastify, start-up fails with an error naming the alternative', async () => {
    const script: ValidateScript = { seen: [], decide: byProfile };
    await expect(
      startPassportApp(server, script, { platform: 'fastify' }),
    ).rejects.toThrow(
      /danceStrategy\('local'\).*Express.*Fastify.*\/login\/local.*signIn/s,
    );
  });
});

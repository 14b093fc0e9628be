import { Controller, Get } from '@nestjs/common';
import {
  Blueprint,
  ConnectionEvent,
  InjectBlueprint,
  InvalidOptionsError,
  OAuthConnections,
  RequireToken,
  google,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  DanceApp,
  localBlueprint,
  startDanceApp,
  walkDance,
} from '../support/dance-app';

@Controller()
class ScopedController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  /** Needs the `email` scope on top of the blueprint's. */
  @Get('needs-email')
  @RequireToken('local', { scopes: ['email'] })
  needsEmail(): Promise<boolean> {
    return this.local.hasScopes(['email']);
  }
}

const profile = (info: Record<string, unknown>) => ({
  id: String(info.sub),
  name: typeof info.name === 'string' ? info.name : undefined,
  raw: info,
});

/**
 * Incremental authorization through the real dance: a route needing one more scope sends the
 * user to the provider for it; the stored scopes are the union; a re-consent without a
 * refresh token keeps the stored one.
 */
describe('Incremental authorization', () => {
  let server: LocalAuthorizationServer;
  let app: DanceApp;
  const events: ConnectionEvent[] = [];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    app = await startDanceApp(server, {
      user: (request) => (request as { user?: unknown }).user,
      blueprints: [
        localBlueprint(server, {
          scope: ['openid', 'offline_access'],
          scopeGrant: 'incremental',
          queryScopes: ['profile'],
          profile,
        }),
      ],
      controllers: [ScopedController],
      hooks: { connection: (event) => void events.push(event) },
    });
  });
  afterAll(async () => {
    await app.close();
    await server.stop();
  });

  it('asks for the missing scope, stores the union, keeps the refresh token of the first consent', async () => {
    const alice = app.browser();
    await alice.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const first = await walkDance(alice, server, { user: 'alice' });
    expect(first.authorizationUrl.searchParams.get('scope')).toBe(
      'openid offline_access',
    );
    const connections = app.app.get(OAuthConnections);
    const before = (await connections.get('local', { userId: 'alice' }))!;
    expect(before.scopes).toEqual(['openid', 'offline_access']);
    const firstToken = (await app.blueprint().getToken({ userId: 'alice' }))!;
    expect(typeof firstToken.refresh_token).toBe('string');
    expect(
      await app.blueprint().hasScopes(['email'], { userId: 'alice' }),
    ).toBe(false);

    // An API client gets a 401 naming that login route.
    const api = await alice
      .get('/needs-email')
      .set('accept', 'application/json')
      .expect(401);
    expect(api.body.loginUrl).toBe(
      '/login/local?scope=email&next=%2Fneeds-email',
    );

    // The route needs `email`: the browser is sent to the login route asking for it.
    const page = await alice
      .get('/needs-email')
      .set('accept', 'text/html')
      .expect(302);
    expect(page.headers.location).toBe(
      '/login/local?scope=email&next=%2Fneeds-email',
    );
    const start = await alice.get(page.headers.location).expect(302);
    const authorizationUrl = new URL(start.headers.location);
    expect(authorizationUrl.searchParams.get('scope')).toBe(
      'openid offline_access email',
    );

    // The provider answers with the new scope only and no refresh token (as Google does on a
    // second consent): the stored token has the union and keeps the first refresh token.
    await server.scriptTokenResponse({
      body: {
        access_token: 'incremental-access-token',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'email',
      },
    });
    const callbackUrl = new URL(
      await server.completeAuthorization(authorizationUrl.toString(), {
        user: 'alice',
      }),
    );
    const back = await alice
      .get(`${callbackUrl.pathname}${callbackUrl.search}`)
      .expect(302);
    expect(back.headers.location).toBe('/needs-email');
    const after = (await app.blueprint().getToken({ userId: 'alice' }))!;
    expect(after.access_token).toBe('incremental-access-token');
    expect(after.refresh_token).toBe(firstToken.refresh_token);
    const connection = (await connections.get('local', { userId: 'alice' }))!;
    expect(connection.scopes).toEqual(['openid', 'offline_access', 'email']);
    expect(connection.connectedAt).toEqual(before.connectedAt);
    expect(
      await app.blueprint().hasScopes(['email'], { userId: 'alice' }),
    ).toBe(true);
    await alice
      .get('/needs-email')
      .set('accept', 'application/json')
      .expect(200)
      .expect('true');
    expect(events.map((e) => [e.type, e.scopes])).toEqual([
      ['created', ['openid', 'offline_access']],
      ['updated', ['openid', 'offline_access', 'email']],
    ]);
  });

  it('the login route takes query scopes only when the blueprint allows them', async () => {
    const browser = app.browser();
    await browser.post('/auth/signin').send({ name: 'bob' }).expect(201);
    const allowed = await browser.get('/login/local?scope=profile').expect(302);
    expect(new URL(allowed.headers.location).searchParams.get('scope')).toBe(
      'openid offline_access profile',
    );
    const refused = await browser
      .get('/login/local?scope=admin%20email')
      .set('accept', 'application/json')
      .expect(400);
    expect(refused.body.message).toContain('admin');
    expect(refused.body.message).toContain('queryScopes');
    expect(
      app.blueprint().loginUrlFor({ scopes: ['profile'], next: '/x' }),
    ).toBe('/login/local?scope=profile&next=%2Fx');
    expect(() => app.blueprint().loginUrlFor({ scopes: ['admin'] })).toThrow(
      InvalidOptionsError,
    );
  });

  it("Google's preset asks with include_granted_scopes, so its tokens list every granted scope", () => {
    const options = google({ clientId: 'id', clientSecret: 'secret' });
    expect(options.authorizationParams).toMatchObject({
      include_granted_scopes: 'true',
    });
    expect(options.scopeGrant ?? 'full').toBe('full');
  });
});

import type { Request } from 'express';
import { MemoryTokenStorage } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { localBlueprint } from '../support/dance-app';
import { SecureApp, pathOf, startSecureApp } from './support/secure-app';
import { TEST_PLATFORMS } from '../support/platform-app';

const STATE_SECRET = 's'.repeat(40);
const USER_HEADER = 'x-app-user';

/**
 * The app's own authentication without a session (a stand-in for a JWT or an API gateway
 * header): the user named by a request header.
 */
const userFromHeader = (req: Request) => {
  const name = req.headers[USER_HEADER];
  return typeof name === 'string' && name ? { id: name } : null;
};

const cookiesOf = (response: request.Response): string[] =>
  (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
/** `name=value` of a Set-Cookie line, as a browser would send it back. */
const pairOf = (setCookie: string): string => setCookie.split(';')[0];

/**
 * issue 13 #9: without a session the dance state lives in a sealed cookie, and nothing tied it
 * to the signed-in user: whoever can set a cookie for the host (a sibling subdomain, a proxy
 * on plain http) could plant their own pending dance in a victim's browser and have the
 * victim finish it, linking the attacker's provider account to the victim's user. The state
 * now carries its owner (sealed: nobody reads it) and the callback must come from the same
 * one; over https the cookie is `__Host-` prefixed, which no other host can set.
 */
const suite =
  'issue 13 #9: the cookie state is bound to the user who started the dance on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let app: SecureApp | undefined;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = (extra: Parameters<typeof startSecureApp>[1] = {}) =>
    startSecureApp(server, {
      platform,
      session: 'none',
      stateSecret: STATE_SECRET,
      user: userFromHeader,
      storage: MemoryTokenStorage,
      ...extra,
    });

  const tokenRequests = async () =>
    (await server.stats()).tokenRequests.authorization_code;

  /** Starts a dance as `user` (null: anonymous); returns the state cookie and the provider's redirect back. */
  async function pendingDance(
    target: SecureApp,
    user: string | null,
    providerUser: string,
  ): Promise<{ cookie: string; callback: URL }> {
    const login = request(target.url).get('/login/local');
    if (user) login.set(USER_HEADER, user);
    const started = await login.expect(302);
    const [cookie] = cookiesOf(started);
    const callback = new URL(
      await server.completeAuthorization(started.headers.location, {
        user: providerUser,
      }),
    );
    return { cookie: pairOf(cookie), callback };
  }

  it.each([
    ['signed in as mallory', 'mallory'],
    ['anonymous', null],
  ])(
    "an attacker's pending dance (%s), planted in alice's browser, is refused",
    async (_label, attacker) => {
      app = await start();
      const planted = await pendingDance(app, attacker, 'mallory-at-provider');
      const before = await tokenRequests();
      const answer = await request(app.url)
        .get(pathOf(planted.callback))
        .set(USER_HEADER, 'alice')
        .set('cookie', planted.cookie)
        .set('accept', 'application/json')
        .expect(403);
      expect(answer.body.message).toMatch(/another user|signed in/);
      expect(await tokenRequests()).toBe(before);
      expect(
        await app.blueprint().getToken({ userId: 'alice', refresh: false }),
      ).toBeNull();
    },
  );

  it('the same user finishes their own dance; the owner is sealed, not readable in the cookie', async () => {
    app = await start();
    const own = await pendingDance(app, 'alice', 'alice-at-provider');
    const sealed = decodeURIComponent(own.cookie.split('=')[1]);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(
      'alice',
    );
    await request(app.url)
      .get(pathOf(own.callback))
      .set(USER_HEADER, 'alice')
      .set('cookie', own.cookie)
      .expect(302);
    expect(
      await app.blueprint().getToken({ userId: 'alice', refresh: false }),
    ).not.toBeNull();
  });

  it('a dance started signed out and finished signed in (or the reverse) is refused', async () => {
    app = await start({ userRequired: false });
    const anonymous = await pendingDance(app, null, 'someone');
    await request(app.url)
      .get(pathOf(anonymous.callback))
      .set(USER_HEADER, 'bob')
      .set('cookie', anonymous.cookie)
      .expect(403);
    const bobs = await pendingDance(app, 'bob', 'bob-at-provider');
    await request(app.url)
      .get(pathOf(bobs.callback))
      .set('cookie', bobs.cookie)
      .expect(403);
  });

  it('over https the state cookie is __Host- prefixed: Secure, Path=/, no Domain, and it works', async () => {
    const publicUrl = 'https://app.example';
    await server.registerClient({
      clientId: 'https-client',
      clientSecret: 'https-client-secret',
      redirectUris: [`${publicUrl}/login/local/authorized`],
    });
    app = await start({
      publicUrl,
      blueprints: [
        localBlueprint(server, {
          clientId: 'https-client',
          clientSecret: 'https-client-secret',
        }),
      ],
    });
    const login = await request(app.url)
      .get('/login/local')
      .set(USER_HEADER, 'carol')
      .expect(302);
    const [cookie] = cookiesOf(login);
    expect(cookie).toMatch(/^__Host-nest-dance\.state\.local=/);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Domain=/i);
    const callback = new URL(
      await server.completeAuthorization(login.headers.location, {
        user: 'carol-at-provider',
      }),
    );
    expect(callback.origin).toBe(publicUrl);
    const answer = await request(app.url)
      .get(pathOf(callback))
      .set(USER_HEADER, 'carol')
      .set('cookie', pairOf(cookie))
      .expect(302);
    expect(cookiesOf(answer).join()).toMatch(
      /__Host-nest-dance\.state\.local=;.*Path=\/;.*Expires=Thu, 01 Jan 1970/,
    );
    expect(
      await app.blueprint().getToken({ userId: 'carol', refresh: false }),
    ).not.toBeNull();
    // A cookie of the unprefixed name (which a sibling host could set) is not read.
    const planted = await pendingDance(app, 'carol', 'carol-at-provider');
    await request(app.url)
      .get(pathOf(planted.callback))
      .set(USER_HEADER, 'carol')
      .set('cookie', planted.cookie.replace(/^__Host-/, ''))
      .expect(403);
  });
});

import { decodeProtectedHeader, jwtVerify } from 'jose';
import {
  AuthorizedEvent,
  BlueprintOptions,
  MemoryTokenStorage,
  apple,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  APPLE_USER,
  AppleStandIn,
  CLIENT_ID,
  KEY_ID,
  P8,
  TEAM_ID,
  appleKey,
} from '../support/apple-stand-in';
import { DanceApp, localBlueprint, startDanceApp } from '../support/dance-app';
import { TEST_PLATFORMS } from '../support/platform-app';

interface Cookie {
  value: string;
  path: string;
  sameSite: string;
  attributes: string;
}

/**
 * A browser's cookie jar, as far as this dance needs: a cross-site POST carries only
 * SameSite=None cookies; a top-level GET (even one a cross-site page started) carries Lax ones.
 */
class Browser {
  readonly cookies = new Map<string, Cookie>();

  async go(
    url: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      crossSite?: boolean;
    } = {},
  ): Promise<Response> {
    const method = init.method ?? 'GET';
    const path = new URL(url).pathname;
    const sent = [...this.cookies]
      .filter(
        ([, c]) =>
          path === c.path ||
          path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
          c.path === '/',
      )
      .filter(
        ([, c]) =>
          !init.crossSite ||
          c.sameSite === 'none' ||
          (c.sameSite === 'lax' && method === 'GET'),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(sent ? { cookie: sent } : {}),
        ...(init.form
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : {}),
      },
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const attr = (key: string) =>
        attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      if (
        attr('max-age') === '0' ||
        (attr('expires') && Date.parse(attr('expires')!) < Date.now())
      ) {
        this.cookies.delete(name);
        continue;
      }
      this.cookies.set(name, {
        value,
        path: attr('path') ?? '/',
        sameSite: (attr('samesite') ?? 'lax').toLowerCase(),
        attributes: line,
      });
    }
    return response;
  }
}

const suite =
  'Sign in with Apple (response_mode=form_post) against a local stand-in on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let server: LocalAuthorizationServer;
  let standIn: AppleStandIn;
  let app: DanceApp;
  const authorized: AuthorizedEvent[] = [];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    standIn = new AppleStandIn();
    await standIn.start();
    const preset = apple({
      clientId: CLIENT_ID,
      teamId: TEAM_ID,
      keyId: KEY_ID,
      privateKey: P8,
      scope: ['name', 'email'],
    });
    const blueprint: BlueprintOptions = {
      ...preset,
      authorizationUrl: `${standIn.url}/auth/authorize`,
      tokenUrl: `${standIn.url}/auth/token`,
      refreshUrl: `${standIn.url}/auth/token`,
      jwksUrl: `${standIn.url}/auth/keys`,
      revocationUrl: undefined,
      // The stand-in is not a LocalAuthorizationServer client: say the callback ourselves.
    };
    app = await startDanceApp(server, {
      platform,
      storage: MemoryTokenStorage,
      userRequired: true,
      hooks: { authorized: (event) => void authorized.push(event) },
      blueprints: [localBlueprint(server), blueprint],
    });
  });

  afterAll(async () => {
    await app?.close();
    await standIn?.stop();
    await server?.stop();
  });

  async function signedInBrowser(name: string): Promise<Browser> {
    const browser = new Browser();
    const signIn = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(signIn.status).toBe(201);
    const [pair] = signIn.headers.getSetCookie()[0].split(';');
    browser.cookies.set(pair.slice(0, pair.indexOf('=')), {
      value: pair.slice(pair.indexOf('=') + 1),
      path: '/',
      sameSite: 'lax',
      attributes: '',
    });
    return browser;
  }

  /** Login route → stand-in's form; returns the form's action and fields. */
  async function startLogin(browser: Browser) {
    const login = await browser.go(`${app.url}/login/apple`);
    expect(login.status).toBe(302);
    const location = new URL(login.headers.get('location')!);
    const page = await (await browser.go(location.href)).text();
    const action = /action="([^"]+)"/.exec(page)![1].replace(/&amp;/g, '&');
    const fields = Object.fromEntries(
      [...page.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
      ]),
    );
    return { location, action, fields };
  }

  it('completes the dance: cross-site POST checked by a SameSite=None cookie, name from `user`, ES256 client secret', async () => {
    const browser = await signedInBrowser('alice');
    const { location, action, fields } = await startLogin(browser);
    expect(location.searchParams.get('response_mode')).toBe('form_post');
    expect(location.searchParams.get('scope')).toBe('name email');
    const crossSite = browser.cookies.get('__Secure-nest-dance.fp.apple')!;
    expect(crossSite.attributes).toMatch(/; Path=\/login\/apple\/authorized;/);
    expect(crossSite.attributes).toMatch(/Max-Age=600;/);
    expect(crossSite.attributes).toMatch(/HttpOnly; Secure; SameSite=None$/);
    expect(action).toBe(`${app.url}/login/apple/authorized`);

    // Apple's page posts the form: a cross-site POST, without the app's session cookie.
    const post = await browser.go(action, {
      method: 'POST',
      form: fields,
      crossSite: true,
    });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/login/apple/authorized');
    expect(browser.cookies.has('__Secure-nest-dance.fp.apple')).toBe(false);
    const handover = browser.cookies.get('nest-dance.fp-answer.apple')!;
    expect(handover.attributes).toMatch(/SameSite=Lax$/);
    expect(handover.value).not.toContain(fields.code);
    expect(authorized).toHaveLength(0);

    // The browser follows with a top-level GET: the session comes along, the dance ends.
    const done = await browser.go(`${app.url}/login/apple/authorized`, {
      crossSite: true,
    });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/');
    expect(browser.cookies.has('nest-dance.fp-answer.apple')).toBe(false);

    expect(authorized).toHaveLength(1);
    expect(authorized[0].profile).toMatchObject({
      id: '001234.abcdef',
      name: 'John Appleseed',
      email: APPLE_USER.email,
    });
    const token = await app
      .blueprint('apple')
      .getToken({ userId: 'alice', refresh: false });
    expect(token?.refresh_token).toEqual(expect.any(String));

    // The client secret the stand-in accepted, verified here too with the key's public half.
    expect(standIn.secrets).toHaveLength(1);
    const secret = standIn.secrets[0];
    const { payload } = await jwtVerify(secret, appleKey.publicKey, {
      algorithms: ['ES256'],
    });
    expect(decodeProtectedHeader(secret)).toEqual({
      alg: 'ES256',
      kid: KEY_ID,
    });
    expect(payload).toMatchObject({
      iss: TEAM_ID,
      sub: CLIENT_ID,
      aud: 'https://appleid.apple.com',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);

    // A refresh authenticates with the same cached secret.
    await (app.storage as MemoryTokenStorage).set(
      { provider: 'apple', userId: 'alice' },
      { ...token!, expires_at: Math.floor(Date.now() / 1000) - 1 },
    );
    const refreshed = await app
      .blueprint('apple')
      .getToken({ userId: 'alice' });
    expect(refreshed?.access_token).not.toBe(token!.access_token);
    expect(standIn.secrets).toEqual([secret, secret]);
    expect(standIn.refused).toEqual([]);
  });

  it('refuses a forged POST (no SameSite=None cookie, or another state) and keeps the real dance', async () => {
    const victim = await signedInBrowser('bob');
    const { action, fields } = await startLogin(victim);
    const before = authorized.length;

    // An attacker's page posts to the callback: no state cookie in its browser.
    const attacker = await signedInBrowser('mallory');
    const forged = await attacker.go(action, {
      method: 'POST',
      form: fields,
      crossSite: true,
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain(
      'does not belong to a login started in this browser',
    );

    // The victim's browser with another state: refused, and its real cookie stays.
    const wrong = await victim.go(action, {
      method: 'POST',
      form: { ...fields, state: 'x'.repeat(43) },
      crossSite: true,
    });
    expect(wrong.status).toBe(403);
    expect(victim.cookies.has('__Secure-nest-dance.fp.apple')).toBe(true);
    const tooLong = await victim.go(action, {
      method: 'POST',
      form: { ...fields, user: 'x'.repeat(5000) },
      crossSite: true,
    });
    expect(tooLong.status).toBe(400);

    // The real answer still completes.
    const post = await victim.go(action, {
      method: 'POST',
      form: fields,
      crossSite: true,
    });
    expect(post.status).toBe(303);
    const done = await victim.go(`${app.url}/login/apple/authorized`, {
      crossSite: true,
    });
    expect(done.status).toBe(302);
    expect(authorized.length).toBe(before + 1);
    expect(
      await app
        .blueprint('apple')
        .getToken({ userId: 'mallory', refresh: false }),
    ).toBeNull();
  });

  it('answers 405 to a POST callback of a blueprint that is answered with a redirect', async () => {
    const response = await fetch(`${app.url}/login/local/authorized`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=x&state=y',
    });
    expect(response.status).toBe(405);
  });
});

import { Browser, Request as BrowserRequest } from 'playwright-core';
import {
  AuthorizedEvent,
  BlueprintOptions,
  MemoryTokenStorage,
  apple,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import {
  AppleStandIn,
  CLIENT_ID,
  KEY_ID,
  P8,
  TEAM_ID,
} from '../support/apple-stand-in';
import { DanceApp, localBlueprint, startDanceApp } from '../support/dance-app';
import { launchChromium } from './support/chromium';

/**
 * Sign in with Apple in a real Chromium, against the local Apple stand-in served from another
 * site (localhost vs 127.0.0.1): the stand-in's page posts the form itself, so the browser,
 * not the test, decides which cookies the cross-site POST and the GET after it carry.
 */
describe('Sign in with Apple in a real browser (form_post across sites, stand-in)', () => {
  let server: LocalAuthorizationServer;
  let standIn: AppleStandIn;
  let app: DanceApp;
  let browser: Browser;
  const authorized: AuthorizedEvent[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await LocalAuthorizationServer.start();
    standIn = new AppleStandIn();
    await standIn.start();
    const crossSite = standIn.url.replace('127.0.0.1', 'localhost');
    const blueprint: BlueprintOptions = {
      ...apple({
        clientId: CLIENT_ID,
        teamId: TEAM_ID,
        keyId: KEY_ID,
        privateKey: P8,
        scope: ['name', 'email'],
      }),
      authorizationUrl: `${crossSite}/auth/authorize`,
      tokenUrl: `${standIn.url}/auth/token`,
      refreshUrl: `${standIn.url}/auth/token`,
      jwksUrl: `${standIn.url}/auth/keys`,
      revocationUrl: undefined,
    };
    app = await startDanceApp(server, {
      storage: MemoryTokenStorage,
      userRequired: true,
      hooks: { authorized: (event) => void authorized.push(event) },
      blueprints: [localBlueprint(server), blueprint],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await standIn?.stop();
    await server?.stop();
  });

  it('signs a signed-in user in with Apple: the POST carries only the SameSite=None cookie, the GET after it the session', async () => {
    const context = await browser.newContext();
    const signIn = await context.request.post(`${app.url}/auth/signin`, {
      data: { name: 'carol' },
    });
    expect(signIn.status()).toBe(201);
    const page = await context.newPage();
    const callbacks: BrowserRequest[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${app.url}/login/apple/authorized`))
        callbacks.push(request);
    });
    await page.goto(`${app.url}/login/apple`);
    await page.waitForURL(`${app.url}/`);

    expect(callbacks.map((r) => r.method())).toEqual(['POST', 'GET']);
    const [post, get] = await Promise.all(
      callbacks.map(async (r) => (await r.allHeaders()).cookie ?? ''),
    );
    expect(post).toContain('__Secure-nest-dance.fp.apple=');
    expect(post).not.toContain('connect.sid=');
    expect(get).toContain('connect.sid=');
    expect(get).toContain('nest-dance.fp-answer.apple=');

    expect(authorized).toHaveLength(1);
    expect(authorized[0].profile).toMatchObject({
      id: '001234.abcdef',
      name: 'John Appleseed',
    });
    const token = await app
      .blueprint('apple')
      .getToken({ userId: 'carol', refresh: false });
    expect(token?.access_token).toEqual(expect.any(String));
    const left = (await context.cookies()).map((c) => c.name);
    expect(left).not.toContain('__Secure-nest-dance.fp.apple');
    expect(left).not.toContain('nest-dance.fp-answer.apple');
    await context.close();
  });
});

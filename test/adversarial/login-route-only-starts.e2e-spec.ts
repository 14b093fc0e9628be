import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuth1Provider } from '../oauth1/support/oauth1-provider';
import {
  OAuth1App,
  providerBlueprint,
  startOAuth1App,
} from '../oauth1/support/oauth1-app';
import { AllLevelsLogger } from './support/log-capture';
import {
  SecureApp,
  callbackFor,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';

/** A long provider-style description with a credential-looking value in it. */
const DESCRIPTION = `${'The request was refused. '.repeat(300)}access_token=PLANT-LOGIN-SECRET`;

/**
 * issue 13 #10: passport strategies run the callback whenever the request carries `?code=`,
 * `?error=` or (OAuth 1.0a) `?oauth_token=`, and the login route ran them as they are: a code
 * sent to the login route was redeemed there and dropped with a 500, and an `error_description`
 * of any length was logged at ERROR. The login route only ever starts a dance.
 */
describe('issue 13 #10: the login route only ever starts a dance (OAuth 2.0)', () => {
  let server: LocalAuthorizationServer;
  let app: SecureApp;
  let logs: AllLevelsLogger;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    logs = new AllLevelsLogger();
    app = await startSecureApp(server, { logger: logs });
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  const tokenRequests = async () =>
    (await server.stats()).tokenRequests.authorization_code;

  it('?code=&state= on the login route starts a new dance; the code is not redeemed and still works at the callback', async () => {
    const browser = app.browser();
    await signIn(browser, 'alice');
    const callback = await callbackFor(browser, server);
    const before = await tokenRequests();

    const misrouted = await browser
      .get(`/login/local${callback.search}`)
      .expect(302);
    expect(
      new URL(misrouted.headers.location).origin +
        new URL(misrouted.headers.location).pathname,
    ).toBe(server.endpoints.authorization);
    expect(await tokenRequests()).toBe(before);

    await browser.get(pathOf(callback)).expect(302);
    expect(await tokenRequests()).toBe(before + 1);
    expect(
      (await browser.get('/me/connection').expect(200)).body.connected,
    ).toBe(true);
  });

  it.each([
    ['?error=server_error', 'server_error'],
    ['?error=access_denied', 'access_denied'],
  ])(
    '%s with a long error_description on the login route: a new dance, nothing logged at ERROR, nothing of the text',
    async (_label, error) => {
      const linesBefore = logs.lines.length;
      const answer = await app
        .browser()
        .get(
          `/login/local?error=${error}&error_description=${encodeURIComponent(DESCRIPTION)}&error_uri=https://evil.example/`,
        )
        .expect(302);
      expect(answer.headers.location).toContain(server.endpoints.authorization);
      const lines = logs.lines.slice(linesBefore);
      expect(lines.filter((line) => line.level === 'error')).toEqual([]);
      const text = lines.map((line) => line.text).join('\n');
      expect(text).not.toContain('PLANT-LOGIN-SECRET');
      expect(text).not.toContain('The request was refused');
    },
  );
});

describe('issue 13 #10: the login route only ever starts a dance (OAuth 1.0a)', () => {
  let provider: OAuth1Provider;
  let app: OAuth1App;

  beforeAll(async () => {
    provider = await OAuth1Provider.start();
    app = await startOAuth1App({
      blueprints: [providerBlueprint(provider, 'HMAC-SHA1')],
    });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.stop();
  });

  it('?oauth_token=&oauth_verifier= on the login route gets a new request token; no access token request', async () => {
    const browser = app.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const begin = await browser.get('/login/acme').expect(302);
    const callback = await provider.authorize(begin.headers.location);
    const before = provider.stats();

    const misrouted = await browser
      .get(`/login/acme${callback.search}`)
      .expect(302);
    const redirect = new URL(misrouted.headers.location);
    expect(redirect.pathname).toBe(
      new URL(provider.endpoint('authorize')).pathname,
    );
    expect(redirect.searchParams.get('oauth_token')).not.toBe(
      callback.searchParams.get('oauth_token'),
    );
    expect(provider.stats()).toMatchObject({
      requestTokenRequests: before.requestTokenRequests + 1,
      accessTokenRequests: before.accessTokenRequests,
    });

    await browser.get(`${callback.pathname}${callback.search}`).expect(302);
    expect(provider.stats().accessTokenRequests).toBe(
      before.accessTokenRequests + 1,
    );
  });
});

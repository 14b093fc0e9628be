import {
  AuthorizedEvent,
  InvalidOptionsError,
  jira,
  MemoryTokenStorage,
  OAuthConsumerError,
  presets,
} from 'nest-dance';
import { OAuth1Provider } from './support/oauth1-provider';
import {
  OAuth1App,
  rsaKeyPair,
  startOAuth1App,
  walkOAuth1Dance,
} from './support/oauth1-app';

const keys = rsaKeyPair();

describe('the jira preset (OAuth 1.0a, RSA-SHA1)', () => {
  it('is the Flask-Dance jira provider, registered in presets', () => {
    expect(presets.jira).toBe(jira);
    expect(jira.info).toMatchObject({
      name: 'jira',
      title: 'Jira (Server / Data Center)',
      flaskDance: true,
      defaultScope: [],
    });
    expect(Object.isFrozen(jira.info)).toBe(true);
  });

  it('points every endpoint at the Jira server, with its context path', () => {
    const blueprint = jira({
      baseUrl: 'https://example.com/jira/',
      consumerKey: 'nest-dance',
      rsaPrivateKey: keys.privateKey,
    });
    expect(blueprint).toMatchObject({
      protocol: 'oauth1',
      name: 'jira',
      clientId: 'nest-dance',
      signatureMethod: 'RSA-SHA1',
      rsaPrivateKey: keys.privateKey,
      requestTokenUrl:
        'https://example.com/jira/plugins/servlet/oauth/request-token',
      authorizationUrl:
        'https://example.com/jira/plugins/servlet/oauth/authorize',
      tokenUrl: 'https://example.com/jira/plugins/servlet/oauth/access-token',
      baseUrl: 'https://example.com/jira/',
      userInfoUrl: 'https://example.com/jira/rest/api/2/myself',
      refreshUrl: false,
      pkce: false,
    });
    expect(blueprint).not.toHaveProperty('clientSecret');
    expect(blueprint).not.toHaveProperty('scope');
    expect(
      jira({
        hostname: 'jira.example.com',
        consumerKey: 'k',
        rsaPrivateKey: keys.privateKey,
        name: 'work-jira',
      }),
    ).toMatchObject({
      name: 'work-jira',
      requestTokenUrl:
        'https://jira.example.com/plugins/servlet/oauth/request-token',
    });
  });

  it('maps /rest/api/2/myself to the profile', () => {
    const blueprint = jira({
      baseUrl: 'https://jira.example.com',
      consumerKey: 'k',
      rsaPrivateKey: keys.privateKey,
    });
    const sample = {
      self: 'https://jira.example.com/rest/api/2/user?username=fred',
      key: 'JIRAUSER10100',
      name: 'fred',
      emailAddress: 'fred@example.com',
      avatarUrls: {
        '48x48': 'https://jira.example.com/secure/useravatar?size=large',
      },
      displayName: 'Fred F. User',
    };
    expect(blueprint.profile!(sample)).toEqual({
      id: 'JIRAUSER10100',
      name: 'Fred F. User',
      email: 'fred@example.com',
      avatarUrl: 'https://jira.example.com/secure/useravatar?size=large',
      raw: sample,
    });
    expect(() => blueprint.profile!({})).toThrow(OAuthConsumerError);
  });

  it.each([
    [{}, /jira\(\): baseUrl is required: give your Jira server's root URL/],
    [
      { baseUrl: 'https://jira.example.com', hostname: 'jira.example.com' },
      /give baseUrl or hostname, not both/,
    ],
    [{ baseUrl: 'ftp://jira.example.com' }, /must be an http\(s\) URL/],
    [
      { baseUrl: 'https://jira.example.com', consumerKey: '' },
      /jira\(\): consumerKey is required: Jira administration → Applications → Application links/,
    ],
    [
      { baseUrl: 'https://jira.example.com', rsaPrivateKey: '' },
      /jira\(\): rsaPrivateKey is required: the PEM text/,
    ],
    [
      { baseUrl: 'https://jira.example.com', rsaPrivateKey: 'not a key' },
      /RSA-SHA1 signs with an RSA private key: give rsaPrivateKey as PEM text/,
    ],
  ])('refuses %j with the fix', (options, message) => {
    const build = () =>
      jira({
        consumerKey: 'k',
        rsaPrivateKey: keys.privateKey,
        ...options,
      } as never);
    expect(build).toThrow(InvalidOptionsError);
    expect(build).toThrow(message);
  });
});

describe('the jira preset against a local OAuth 1.0a provider with Jira’s paths', () => {
  let provider: OAuth1Provider;
  let app: OAuth1App | undefined;

  beforeAll(async () => {
    provider = await OAuth1Provider.start('/jira');
    provider.register({
      key: 'nest-dance',
      method: 'RSA-SHA1',
      publicKey: keys.publicKey,
    });
  });
  afterAll(() => provider.stop());
  beforeEach(() => provider.resetStats());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('dances, stores the token for the user, reads the profile and calls the REST API, all signed with RSA-SHA1', async () => {
    const authorized: AuthorizedEvent[] = [];
    app = await startOAuth1App({
      blueprints: [
        jira({
          baseUrl: provider.url,
          consumerKey: 'nest-dance',
          rsaPrivateKey: keys.privateKey,
        }),
      ],
      hooks: { authorized: (event) => void authorized.push(event) },
    });
    const browser = app.browser();
    await browser.post('/auth/signin').send({ name: 'fred' }).expect(201);
    const { authorizationUrl, response } = await walkOAuth1Dance(
      browser,
      provider,
      { blueprint: 'jira', user: 'fred' },
    );
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(
      `${provider.url}/plugins/servlet/oauth/authorize`,
    );
    expect(response.status).toBe(302);
    expect(provider.stats().lastCallback).toBe(
      `${app.url}/login/jira/authorized`,
    );

    const token = await (app.storage as MemoryTokenStorage).get({
      provider: 'jira',
      userId: 'fred',
    });
    expect(token?.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof token?.oauth_token_secret).toBe('string');
    expect(authorized[0].profile).toMatchObject({
      id: 'JIRAUSER-fred',
      name: 'Fred Example',
      email: 'fred@example.com',
    });

    const search = await app.registry.get('jira').fetchJson<{
      user: string;
      query: string[][];
    }>('rest/api/2/echo?jql=assignee%20%3D%20currentUser()&maxResults=5', {
      userId: 'fred',
    });
    expect(search).toMatchObject({
      user: 'fred',
      query: [
        ['jql', 'assignee = currentUser()'],
        ['maxResults', '5'],
      ],
    });
    expect(provider.stats()).toMatchObject({
      requestTokenRequests: 1,
      accessTokenRequests: 1,
      apiCalls: 2,
      refused: {},
    });
  });

  it('is refused by Jira when the key does not match the application link', async () => {
    app = await startOAuth1App({
      blueprints: [
        jira({
          baseUrl: provider.url,
          consumerKey: 'nest-dance',
          rsaPrivateKey: rsaKeyPair().privateKey,
        }),
      ],
    });
    const response = await app
      .browser()
      .get('/login/jira')
      .set('accept', 'application/json')
      .expect(502);
    expect(response.body.message).toContain(
      'the request token request answered HTTP 401 signature_invalid',
    );
    expect(provider.stats().refused).toEqual({ signature_invalid: 1 });
  });
});

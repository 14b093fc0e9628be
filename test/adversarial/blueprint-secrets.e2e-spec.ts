import { generateKeyPairSync } from 'node:crypto';
import { format, inspect } from 'node:util';
import { Test, TestingModule } from '@nestjs/testing';
import {
  Blueprint,
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oauth1,
  oauth2,
} from 'nest-dance';
import { FIXTURE_PUBLIC_URL } from '../support/token-app';

const CLIENT_SECRET = 'PLANT-client-secret-0f3a9';
const HEADER_SECRET = 'PLANT-api-key-77c1';
const PARAM_SECRET = 'PLANT-token-param-5d2e';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
/** A line from the middle of the PEM: no part of the key may show. */
const KEY_LINE = privateKey.split('\n')[5];

/** Everything one could print a blueprint (or an event carrying it) with. */
function renderings(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    format('%o', value),
    format('%O', value),
    JSON.stringify(value) ?? '',
    JSON.stringify({ event: { blueprint: value } }),
  ];
}

/**
 * Also (issue 13): every hook and event gets the `Blueprint`, and `util.inspect` (what
 * `console.log` and most loggers use) or `JSON.stringify` of it printed the client secret and
 * the RSA private key. A blueprint prints as its name, protocol and options without secrets.
 */
describe('issue 13 (Also): util.inspect and JSON.stringify of a Blueprint hide its secrets', () => {
  let moduleRef: TestingModule;
  let github: Blueprint;
  let jira: Blueprint;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          storage: MemoryTokenStorage,
          publicUrl: FIXTURE_PUBLIC_URL,
          blueprints: [
            oauth2({
              name: 'github',
              clientId: 'visible-client-id',
              clientSecret: CLIENT_SECRET,
              authorizationUrl: 'https://github.example/authorize',
              tokenUrl: 'https://github.example/token',
              baseUrl: 'https://api.github.example/',
              tokenHeaders: { 'x-api-key': HEADER_SECRET },
              tokenParams: { resource_secret: PARAM_SECRET },
              headers: { 'x-api-key': HEADER_SECRET },
            }),
            oauth1({
              name: 'jira',
              consumerKey: 'visible-consumer-key',
              rsaPrivateKey: privateKey,
              signatureMethod: 'RSA-SHA1',
              requestTokenUrl: 'https://jira.example/request-token',
              authorizationUrl: 'https://jira.example/authorize',
              accessTokenUrl: 'https://jira.example/access-token',
              baseUrl: 'https://jira.example/rest/api/2/',
            }),
          ],
        }),
      ],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(BlueprintRegistry);
    github = registry.get('github');
    jira = registry.get('jira');
  });
  afterAll(() => moduleRef.close());

  it.each([
    ['an OAuth 2.0 blueprint', () => github],
    ['an OAuth 1.0a blueprint with an RSA key', () => jira],
    ['a hook event carrying a blueprint', () => ({ blueprint: github })],
    ['the list of every blueprint', () => [github, jira]],
  ])('%s prints no secret', (_label, subject) => {
    for (const text of renderings(subject())) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(HEADER_SECRET);
      expect(text).not.toContain(PARAM_SECRET);
      expect(text).not.toContain(KEY_LINE);
      expect(text).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('still says which blueprint it is and what it talks to', () => {
    for (const text of renderings(github)) {
      expect(text).toContain('github');
      expect(text).toContain('visible-client-id');
      expect(text).toContain('https://github.example/token');
    }
    expect(JSON.parse(JSON.stringify(github))).toMatchObject({
      name: 'github',
      protocol: 'oauth2',
      options: {
        clientId: 'visible-client-id',
        clientSecret: '[redacted]',
        tokenHeaders: { 'x-api-key': '[redacted]' },
      },
    });
    expect(JSON.parse(JSON.stringify(jira))).toMatchObject({
      name: 'jira',
      protocol: 'oauth1',
      options: { rsaPrivateKey: '[redacted]' },
    });
  });

  it('leaves the options themselves intact (the blueprint still signs and authenticates)', () => {
    expect(github.options.clientSecret).toBe(CLIENT_SECRET);
    expect(jira.options.rsaPrivateKey).toBe(privateKey);
  });
});

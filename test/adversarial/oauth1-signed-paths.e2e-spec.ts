import { OAuthUserContext } from 'nest-dance';
import {
  OAuth1App,
  providerBlueprint,
  startOAuth1App,
  walkOAuth1Dance,
} from '../oauth1/support/oauth1-app';
import { OAuth1Provider } from '../oauth1/support/oauth1-provider';

/**
 * Path segments whose characters the WHATWG URL parser (what `fetch` sends) and Node's legacy
 * `url.parse` (what node-oauth signed) encode differently: `'`, `|`, `^` and non-ASCII letters
 * travel as they are or percent-encoded by one and not the other.
 */
const SEGMENTS = [
  "it's",
  'a|b',
  'x^y',
  'café',
  'naïve 空',
  '{braces}',
  'back`tick',
  "!*()~-_.'",
  ':@$,;=+&',
  'already%2Fencoded',
];

/**
 * issue 13 #15: OAuth 1.0a signatures cover the URL the request goes to (RFC 5849 §3.4.1.2).
 * node-oauth rebuilt that URL with the legacy parser, so for these paths it signed another
 * string than `fetch` sent, and the provider (the local one here, verifying every signature
 * with the `oauth-1.0a` package over the path as it arrived) refused the request.
 */
describe.each(['HMAC-SHA1', 'RSA-SHA1'] as const)(
  'issue 13 #15: OAuth 1.0a signs the URL fetch sends (%s)',
  (method) => {
    let provider: OAuth1Provider;
    let app: OAuth1App;

    beforeAll(async () => {
      provider = await OAuth1Provider.start();
      app = await startOAuth1App({
        blueprints: [providerBlueprint(provider, method)],
      });
      const browser = app.browser();
      await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
      const { response } = await walkOAuth1Dance(browser, provider);
      expect(response.status).toBe(302);
    });
    afterAll(async () => {
      await app?.close();
      await provider?.stop();
    });

    it.each(SEGMENTS)('a path with %j', async (segment) => {
      const acme = app.registry.get('acme');
      const context = app.app.get(OAuthUserContext);
      const refusedBefore = provider.stats().refused.signature_invalid ?? 0;
      const sent = new URL(`items/${segment}?q=it's|a^b`, acme.apiUrl('/'));
      const answer = await context.runAs({ id: 'alice' }, () =>
        acme.fetch(`items/${segment}?q=it's|a^b`),
      );
      const body = (await answer.json()) as {
        user?: string;
        path?: string;
        query?: Array<[string, string]>;
      };
      expect([
        answer.status,
        provider.stats().refused.signature_invalid ?? 0,
      ]).toEqual([200, refusedBefore]);
      expect(body.user).toBe('alice');
      // The provider saw exactly what the WHATWG parser serializes, and checked the signature over it.
      expect(body.path).toBe(sent.pathname);
      expect(body.query).toEqual([...sent.searchParams]);
    });
  },
);

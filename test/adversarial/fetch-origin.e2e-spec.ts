import {
  Blueprint,
  InvalidOptionsError,
  MemoryTokenStorage,
  oauth2,
} from 'nest-dance';
import { RecordingServer } from '../presets/support/recording-server';
import { createUserContext } from '../support/user-context';

/**
 * blueprint.fetch() sends the token to the provider's API origin only: paths the WHATWG URL
 * parser reads as another host (backslashes, leading spaces and control characters, tabs
 * inside the scheme) are refused, against a real API stand-in and a real "other host" that
 * records whatever reaches it.
 */
describe('Adversarial: blueprint.fetch() keeps the token on the API origin', () => {
  const api = new RecordingServer();
  const elsewhere = new RecordingServer();

  beforeAll(() => Promise.all([api.start(), elsewhere.start()]));
  afterAll(() => Promise.all([api.close(), elsewhere.close()]));

  const blueprint = () =>
    new Blueprint(
      oauth2({
        name: 'acme',
        clientId: 'id',
        authorizationUrl: 'https://acme.example/authorize',
        tokenUrl: 'https://acme.example/token',
        baseUrl: api.url('/v2/'),
      }),
      { storage: new MemoryTokenStorage(), context: createUserContext() },
    );
  /** The other host as `host:port`, with no scheme. */
  const other = () => new URL(elsewhere.url('/')).host;

  /** Paths that WHATWG URL resolves to `other` against the API base. */
  const hostile = (host: string): string[] => [
    `\\\\${host}/x`,
    `/\\${host}/x`,
    `\\/${host}/x`,
    `/\\/${host}/x`,
    `\\\\\\${host}/x`,
    ` //${host}/x`,
    ` \\\\${host}/x`,
    `\t//${host}/x`,
    `\n//${host}/x`,
    `\r\n\\\\${host}/x`,
    `\f//${host}/x`,
    `\u000b//${host}/x`,
    `\u0000//${host}/x`,
    `\u001f//${host}/x`,
    `\\\t\\${host}/x`,
    ` http://${host}/x`,
    `ht\ttp://${host}/x`,
    `h\nttp://${host}/x`,
    `HTTP://${host}/x`,
    `http:\\\\${host}/x`,
    `http:/\\${host}/x`,
    `//${host}/x`,
    `//${new URL(api.url('/')).host}@${host}/x`,
    `${api.url('/')}@${host}/x`.replace(/\/@/, '@'),
  ];

  it('issue 13 #2: every path the URL parser reads as another host is refused, and nothing reaches it', async () => {
    const acme = blueprint();
    await acme.setToken({ access_token: 'secret-at' }, { userId: 'u1' });
    const refusedOrigins: string[] = [];
    for (const path of hostile(other())) {
      const error = await acme.fetch(path, { userId: 'u1' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect({ path, error }).toEqual({
        path,
        error: expect.any(InvalidOptionsError),
      });
      expect((error as Error).message).toMatch(
        /Refusing to send the 'acme' token/,
      );
      refusedOrigins.push((error as Error).message);
      // The same answer for an explicit token (the authorized hook's case).
      await expect(
        acme.fetch(path, { token: { access_token: 'hook-at' } }),
      ).rejects.toThrow(InvalidOptionsError);
      expect(() => acme.apiUrl(path)).toThrow(InvalidOptionsError);
    }
    expect(refusedOrigins.join('\n')).not.toContain('secret-at');
    expect(elsewhere.requests).toEqual([]);
  });

  it('issue 13 #2: paths on the API origin still work, relative to baseUrl', async () => {
    const acme = blueprint();
    api.answer('/v2/me', { json: { ok: true } });
    api.answer('/v2/a/b?q=1', { json: { ok: true } });
    await acme.setToken({ access_token: 'at-ok' }, { userId: 'u1' });
    for (const path of [
      '/me',
      'me',
      ' me',
      '\tme',
      api.url('/v2/me'),
      `//${new URL(api.url('/')).host}/v2/me`,
    ]) {
      const response = await acme.fetch(path, { userId: 'u1' });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    expect(acme.apiUrl('a/b?q=1')).toBe(api.url('/v2/a/b?q=1'));
    expect(
      api.requestsTo('/v2/me').map((r) => r.headers.authorization),
    ).toEqual(Array(6).fill('Bearer at-ok'));
  });
});

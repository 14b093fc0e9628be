import {
  Blueprint,
  BlueprintOptions,
  MemoryTokenStorage,
  oauth2,
  shopify,
} from 'nest-dance';
import { RecordingServer } from './presets/support/recording-server';
import { createUserContext } from './support/user-context';

/** blueprint.fetch against a local provider API stand-in that records what it receives. */
describe('blueprint.fetch (against a local API stand-in)', () => {
  const api = new RecordingServer();

  beforeAll(() => api.start());
  afterAll(() => api.close());

  const blueprintFor = (options: Partial<BlueprintOptions> = {}) =>
    new Blueprint(
      oauth2({
        name: 'acme',
        clientId: 'id',
        authorizationUrl: 'https://acme.example/authorize',
        tokenUrl: 'https://acme.example/token',
        baseUrl: api.url('/v2/'),
        ...options,
      }),
      { storage: new MemoryTokenStorage(), context: createUserContext() },
    );

  it('sends the stored token as Bearer, with the blueprint headers, to a path under baseUrl', async () => {
    api.answer('/v2/me', { json: { id: 1 } });
    const blueprint = blueprintFor({
      headers: { 'client-id': 'acme-client', 'user-agent': 'nest-dance-test' },
    });
    await blueprint.setToken(
      { access_token: 'at-1', token_type: 'bearer' },
      { userId: 'u1' },
    );
    expect(await blueprint.fetchJson('/me', { userId: 'u1' })).toEqual({
      id: 1,
    });
    const [request] = api.requestsTo('/v2/me');
    expect(request.headers.authorization).toBe('Bearer at-1');
    expect(request.headers['client-id']).toBe('acme-client');
    expect(request.headers['user-agent']).toBe('nest-dance-test');
    expect(request.headers.accept).toBe('application/json');
  });

  it('keeps several accounts of one provider per user apart (accountId)', async () => {
    api.answer('/v2/whoami', { json: {} });
    const blueprint = blueprintFor();
    await blueprint.setToken(
      { access_token: 'personal-at' },
      { userId: 'alice' },
    );
    await blueprint.setToken(
      { access_token: 'work-at' },
      { userId: 'alice', accountId: 'work' },
    );
    await blueprint.fetch('whoami', { userId: 'alice', accountId: 'work' });
    await blueprint.fetch('whoami', { userId: 'alice' });
    expect(
      api.requestsTo('/v2/whoami').map((r) => r.headers.authorization),
    ).toEqual(['Bearer work-at', 'Bearer personal-at']);
    await blueprint.deleteToken({ userId: 'alice', accountId: 'work' });
    expect(
      await blueprint.isAuthorized({ userId: 'alice', accountId: 'work' }),
    ).toBe(false);
    expect(await blueprint.isAuthorized({ userId: 'alice' })).toBe(true);
  });

  it("uses the token's own type as the scheme (e.g. Yandex's OAuth)", async () => {
    api.answer('/v2/info', { json: {} });
    await blueprintFor().fetch('info', {
      token: { access_token: 'at-2', token_type: 'OAuth' },
    });
    expect(api.requestsTo('/v2/info')[0].headers.authorization).toBe(
      'OAuth at-2',
    );
  });

  it("sends Shopify's token in X-Shopify-Access-Token, not Authorization", async () => {
    api.answer('/admin/api/2025-07/shop.json', { json: { shop: {} } });
    const options = {
      ...shopify({ clientId: 'id', shop: 'acme' }),
      baseUrl: api.url('/admin/api/2025-07/'),
    };
    const blueprint = new Blueprint(options, {
      storage: new MemoryTokenStorage(),
      context: createUserContext(),
    });
    await blueprint.fetch('shop.json', { token: { access_token: 'shpat_1' } });
    const [request] = api.requestsTo('/admin/api/2025-07/shop.json');
    expect(request.headers['x-shopify-access-token']).toBe('shpat_1');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('fetchJson names the status when the API refuses, without the token', async () => {
    api.answer('/v2/forbidden', { status: 403, json: { error: 'nope' } });
    const error = await blueprintFor()
      .fetchJson('forbidden', { token: { access_token: 'secret-at' } })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(/HTTP 403/);
    expect((error as Error).message).not.toContain('secret-at');
  });

  it('refuses relative paths without a baseUrl, with the fix', async () => {
    await expect(
      blueprintFor({ baseUrl: undefined }).fetch('/me', {
        token: { access_token: 'x' },
      }),
    ).rejects.toThrow(/has no baseUrl: set it to the API root/);
  });
});

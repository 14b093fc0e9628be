import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  BlueprintOptions,
  BlueprintSource,
  MemoryTokenStorage,
  OAuthConnections,
  SecretSealer,
  TokenRefresher,
  oidc,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { DanceApp, startDanceApp, walkDance } from '../support/dance-app';
import { POSTGRES } from '../support/databases';

const KEYS = [randomBytes(32).toString('base64')];
const TABLE = `tenants_${randomBytes(4).toString('hex')}`;

/** What an app keeps per customer: its identity provider, the client secret sealed. */
interface TenantRow {
  name: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  enabled: boolean;
}

/** The app's blueprint source: a tenant's row, its client secret opened with the key ring. */
function tenantSource(db: DataSource, calls: string[]): BlueprintSource {
  const sealer = new SecretSealer(KEYS);
  return {
    async resolve(name): Promise<BlueprintOptions | undefined> {
      calls.push(name);
      const [row] = (await db.query(
        `SELECT * FROM ${TABLE} WHERE name = $1 AND enabled`,
        [name],
      )) as TenantRow[];
      if (!row) return undefined;
      return oidc({
        name: row.name,
        issuer: row.issuer,
        clientId: row.client_id,
        clientSecret: sealer.open(
          `tenant:${row.name}:clientSecret`,
          row.client_secret_sealed,
        ),
        scope: ['openid', 'profile', 'email', 'offline_access'],
        authorizationParams: { prompt: 'consent' },
      });
    },
    cache: { max: 2, ttlMs: 60_000, missTtlMs: 0 },
  };
}

async function connect(): Promise<DataSource> {
  return new DataSource({ type: 'postgres', ...POSTGRES }).initialize();
}

describe('Runtime blueprints from a tenants table (blueprintSource)', () => {
  let server: LocalAuthorizationServer;
  let admin: DataSource;
  let dbA: DataSource;
  let dbB: DataSource;
  let appA: DanceApp;
  let appB: DanceApp;
  const callsA: string[] = [];
  const callsB: string[] = [];

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    admin = await connect();
    await admin.query(
      `CREATE TABLE ${TABLE} (name text PRIMARY KEY, issuer text NOT NULL, client_id text NOT NULL, ` +
        'client_secret_sealed text NOT NULL, enabled boolean NOT NULL DEFAULT true)',
    );
    // Two instances of the app, each with its own connection to the shared table; neither
    // knows any tenant at start-up.
    dbA = await connect();
    dbB = await connect();
    const common = {
      storage: MemoryTokenStorage,
      encryption: { keys: KEYS },
      userRequired: true,
    };
    appA = await startDanceApp(server, {
      ...common,
      blueprintSource: tenantSource(dbA, callsA),
    });
    appB = await startDanceApp(server, {
      ...common,
      blueprintSource: tenantSource(dbB, callsB),
    });
  });

  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await admin?.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await Promise.all(
      [admin, dbA, dbB].map((db) => db?.isInitialized && db.destroy()),
    );
    await server?.stop();
  });

  /** The customer's admin adds their Okta: a client at the provider and a row in the table. */
  async function createTenant(name: string, enabled = true): Promise<void> {
    const clientId = `${name}-client`;
    const clientSecret = randomBytes(24).toString('base64url');
    await server.registerClient({
      clientId,
      clientSecret,
      redirectUris: [appA, appB].map(
        (app) => `${app.url}/login/${name}/authorized`,
      ),
    });
    await admin.query(
      `INSERT INTO ${TABLE} (name, issuer, client_id, client_secret_sealed, enabled) VALUES ($1, $2, $3, $4, $5)`,
      [
        name,
        server.issuer,
        clientId,
        new SecretSealer(KEYS).seal(
          `tenant:${name}:clientSecret`,
          clientSecret,
        ),
        enabled,
      ],
    );
  }

  it('answers 404 (not 500) for an unknown tenant, without caching the miss when told so', async () => {
    const response = await appB
      .browser()
      .get('/login/acme-okta')
      .set('Accept', 'application/json')
      .expect(404);
    expect(response.body.message).toBe("Unknown provider 'acme-okta'.");
    await appB
      .browser()
      .get('/login/acme-okta/authorized?code=x&state=y')
      .expect(404);
    expect(callsB.filter((name) => name === 'acme-okta')).toHaveLength(2);
    // Names that cannot be blueprint names never reach the source.
    await appB.browser().get('/login/..%2F..%2Fetc').expect(404);
    expect(callsB).not.toContain('../../etc');
  });

  it('a tenant created after start-up completes a dance on an instance that never saw it, and its token refreshes', async () => {
    await createTenant('acme-okta');
    const browser = appB.browser();
    await browser.post('/auth/signin').send({ name: 'alice' }).expect(201);
    const walk = await walkDance(browser, server, {
      blueprint: 'acme-okta',
      user: 'alice@acme.example',
    });
    expect(walk.authorizationUrl.searchParams.get('client_id')).toBe(
      'acme-okta-client',
    );
    expect(walk.response.status).toBe(302);
    expect(walk.response.headers.location).toBe('/');

    const blueprint = (await appB.registry.resolve('acme-okta'))!;
    expect(blueprint.name).toBe('acme-okta');
    const stored = await blueprint.getToken({
      userId: 'alice',
      refresh: false,
    });
    expect(stored?.refresh_token).toEqual(expect.any(String));
    // Sealed at rest with the app's keys, like any other blueprint's tokens.
    const raw = await (appB.storage as MemoryTokenStorage).get({
      provider: 'acme-okta',
      userId: 'alice',
    });
    expect(raw?.access_token).toBe('');

    // Listed like any other connection, even once this process forgot the blueprint.
    appB.registry.invalidate();
    const connections = await appB.app
      .get(OAuthConnections)
      .list({ userId: 'alice' });
    expect(connections.map((c) => [c.provider, c.status])).toEqual([
      ['acme-okta', 'active'],
    ]);

    // Refreshed on use when due...
    await server.expireAccessTokens();
    const again = (await appB.registry.resolve('acme-okta'))!;
    await again.setToken({ ...stored!, expires_in: -5 }, { userId: 'alice' });
    const refreshed = await again.getToken({ userId: 'alice' });
    expect(refreshed?.access_token).toEqual(expect.any(String));
    expect(refreshed!.access_token).not.toBe(stored!.access_token);
    const user = await again.fetchJson<{ sub: string }>(
      server.endpoints.userinfo,
      { userId: 'alice' },
    );
    expect(user.sub).toEqual(expect.any(String));

    // ...and by the background sweep, for a tenant this process has not resolved.
    await again.setToken(
      { ...refreshed!, expires_in: 10 },
      { userId: 'alice' },
    );
    appB.registry.invalidate('acme-okta');
    const sweep = await appB.app
      .get(TokenRefresher)
      .refreshDue({ within: 60_000 });
    expect(sweep).toMatchObject({ swept: true, refreshed: 1, failed: 0 });

    // Read and disconnected by name, also once this process forgot the blueprint.
    appB.registry.invalidate();
    const connections2 = appB.app.get(OAuthConnections);
    expect(
      (await connections2.get('acme-okta', { userId: 'alice' }))?.status,
    ).toBe('active');
    appB.registry.invalidate();
    await connections2.disconnect('acme-okta', undefined, {
      userId: 'alice',
      revoke: true,
    });
    expect(await connections2.list({ userId: 'alice' })).toEqual([]);
  });

  it('serves the cached tenant until invalidate(name), then reads the table again', async () => {
    await createTenant('globex-entra');
    const browser = appA.browser();
    await browser.post('/auth/signin').send({ name: 'bob' }).expect(201);
    await browser.get('/login/globex-entra').expect(302);
    const before = callsA.filter((n) => n === 'globex-entra').length;
    await browser.get('/login/globex-entra').expect(302);
    expect(callsA.filter((n) => n === 'globex-entra')).toHaveLength(before);

    await admin.query(`UPDATE ${TABLE} SET enabled = false WHERE name = $1`, [
      'globex-entra',
    ]);
    await browser.get('/login/globex-entra').expect(302); // still cached
    appA.registry.invalidate('globex-entra');
    await browser.get('/login/globex-entra').expect(404); // disabled
  });

  it('keeps at most cache.max runtime blueprints per process', async () => {
    for (const name of ['t-one', 't-two', 't-three']) {
      await createTenant(name);
      await appA.browser().get(`/login/${name}`).expect(302);
    }
    const cached = appA.registry
      .all()
      .map((b) => b.name)
      .filter((n) => n !== 'local');
    expect(cached).toEqual(['t-two', 't-three']);
  });

  it('answers 503 when the source fails, and caches nothing', async () => {
    await dbA.destroy();
    const response = await appA
      .browser()
      .get('/login/never-seen')
      .set('Accept', 'application/json')
      .expect(503);
    expect(response.body.message).toContain('unavailable right now');
    await expect(appA.registry.resolve('never-seen')).rejects.toThrow(
      /blueprintSource could not resolve 'never-seen'/,
    );
  });
});

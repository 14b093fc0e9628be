import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlueprintRegistry, OAuthToken } from 'nest-dance';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { DemoUsersService } from '../../apps/demo/src/demo-users.service';
import { launchChromium, screenshot } from './support/chromium';
import { RunningDemo, startDemo } from './support/demo';

/** Where a variant keeps tokens and sessions, and how the test checks it. */
interface Variant {
  name: string;
  /** The Nest platform (`PLATFORM`). */
  platform: 'express' | 'fastify';
  env(): Record<string, string>;
  /** Tokens at rest are encrypted (`TOKEN_ENCRYPTION_KEYS`). */
  encrypted: boolean;
  /** The token column of every row, as the database holds it. */
  rawTokens(demo: RunningDemo): Promise<string[]>;
  /** How many sessions the shared store holds (null: in memory). */
  sessionsInRedis(): Promise<number | null>;
  cleanUp(demo: RunningDemo | undefined): Promise<void>;
}

const run = `${process.pid}_${Date.now().toString(36)}`;
const sqliteDirectory = mkdtempSync(join(tmpdir(), 'nd-browser-'));
const tablePrefixOf = (platform: string) => `nd_browser_${run}_${platform[0]}_`;
const redisPrefixOf = (platform: string) => `nd-browser-${run}-${platform}:`;
const REDIS_URL = 'redis://127.0.0.1:6379';

async function redisKeys(pattern: string): Promise<string[]> {
  const client = await createClient({ url: REDIS_URL }).connect();
  try {
    return await client.keys(pattern);
  } finally {
    await client.quit();
  }
}

const variants: Variant[] = [
  {
    name: 'SQLite file, in-memory cache and sessions (the defaults)',
    platform: 'express',
    env: () => ({
      DATABASE_URL: `sqlite:${join(sqliteDirectory, 'demo.sqlite')}`,
    }),
    encrypted: false,
    rawTokens: async ({ demo }) => {
      const rows: Array<{ token: string }> = await demo.app
        .get(DataSource)
        .query('SELECT token FROM demo_oauth_token');
      return rows.map((row) => row.token);
    },
    sessionsInRedis: async () => null,
    cleanUp: async () =>
      rmSync(sqliteDirectory, { recursive: true, force: true }),
  },
  // The same on both platforms: express-session and @fastify/session in one Redis store.
  ...(['express', 'fastify'] as const).map((platform): Variant => ({
    name: `PostgreSQL and Redis, tokens encrypted at rest, on ${platform}`,
    platform,
    env: () => ({
      TOKEN_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_TABLE_PREFIX: tablePrefixOf(platform),
      PLATFORM: platform,
      REDIS_URL,
      REDIS_PREFIX: redisPrefixOf(platform),
    }),
    encrypted: true,
    rawTokens: async ({ demo }) => {
      const rows: Array<{ token: unknown }> = await demo.app
        .get(DataSource)
        .query(
          `SELECT token::text AS token FROM "${tablePrefixOf(platform)}demo_oauth_token"`,
        );
      return rows.map((row) => String(row.token));
    },
    sessionsInRedis: async () =>
      (await redisKeys(`${redisPrefixOf(platform)}sess:*`)).length,
    cleanUp: async (running) => {
      if (running) {
        const dataSource = running.demo.app.get(DataSource);
        await dataSource.query(
          `DROP TABLE IF EXISTS "${tablePrefixOf(platform)}demo_oauth_token", "${tablePrefixOf(platform)}demo_user"`,
        );
      }
      const keys = await redisKeys(`${redisPrefixOf(platform)}*`);
      if (keys.length) {
        const client = await createClient({ url: REDIS_URL }).connect();
        await client.del(keys);
        await client.quit();
      }
    },
  })),
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(variants)('The demo in a real browser: $name', (variant) => {
  let running: RunningDemo | undefined;
  const contexts: BrowserContext[] = [];
  const slug = `${variant.name.startsWith('SQLite') ? 'sqlite' : 'postgres'}-${variant.platform}`;

  beforeAll(async () => {
    running = await startDemo(variant.env());
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await variant.cleanUp(running);
    await running?.demo.close();
  });

  async function signIn(name: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: running!.url });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#user-name');
    expect(await page.textContent('#user-name')).toBe(name);
    return page;
  }

  const card = (page: Page, provider = 'local') =>
    page.locator(`section[data-provider="${provider}"]`);
  const status = async (page: Page) =>
    card(page).locator('[data-status]').getAttribute('data-status');

  async function storedToken(name: string): Promise<OAuthToken | null> {
    const { demo } = running!;
    const user = await demo.app.get(DemoUsersService).signIn(name);
    const local = demo.app.get(BlueprintRegistry).get('local');
    // The demo lets a user connect several local accounts: each is keyed by its `sub`.
    return local.storage.get({
      provider: 'local',
      userId: user.id,
      accountId: name,
    });
  }

  it('alice connects local through its login and consent pages, sees the profile; bob sees nothing of it; alice disconnects', async () => {
    const alice = await signIn('alice');
    expect(await status(alice)).toBe('not-connected');

    // The dance, as a person does it: Connect, sign in at the provider, allow.
    await card(alice).getByRole('link', { name: 'Connect' }).click();
    await alice.waitForURL(/\/interaction\//);
    expect(new URL(alice.url()).origin).toBe(running!.demo.localIssuer);
    await alice.getByLabel('Username').fill('alice');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await alice.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await alice.textContent('body')).toContain('offline_access');
    await alice.getByRole('button', { name: 'Allow' }).click();
    await alice.waitForURL(`${running!.url}/`);

    expect(await status(alice)).toBe('connected');
    const scopes = await card(alice).locator('.chip').allTextContents();
    expect(scopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
    const expires = await card(alice).locator('time').getAttribute('datetime');
    const inSeconds = (Date.parse(expires!) - Date.now()) / 1000;
    expect(inSeconds).toBeGreaterThan(3500);
    expect(inSeconds).toBeLessThanOrEqual(3600);
    await screenshot(alice, `demo-${slug}-alice-connected`);

    // The token is stored server-side for alice, and never reaches the page.
    const token = await storedToken('alice');
    expect(token?.access_token).toEqual(expect.any(String));
    expect(token?.refresh_token).toEqual(expect.any(String));
    const raw = await variant.rawTokens(running!);
    expect(raw).toHaveLength(1);
    if (variant.encrypted) {
      expect(raw[0]).not.toContain(token!.access_token);
      expect(raw[0]).not.toContain(token!.refresh_token as string);
    } else {
      expect(raw[0]).toContain(token!.access_token);
    }
    expect(await alice.textContent('footer')).toContain(
      variant.encrypted ? 'tokens at rest: encrypted' : 'tokens at rest: plain',
    );
    const html = await alice.content();
    expect(html).not.toContain(token!.access_token);
    expect(html).not.toContain(token!.refresh_token as string);

    // The profile, fetched through blueprint.fetch with alice's token.
    await card(alice).getByRole('button', { name: 'Load profile' }).click();
    const profile = JSON.parse(
      (await card(alice).locator('pre.profile').textContent())!,
    );
    expect(profile).toMatchObject({
      sub: 'alice',
      email: 'alice@example.com',
    });
    await screenshot(alice, `demo-${slug}-alice-profile`);

    const api = await alice.request.get('/api/connections');
    expect(api.status()).toBe(200);
    expect(await api.json()).toEqual([
      expect.objectContaining({
        provider: 'local',
        connected: true,
        expiresAt: expires,
        scope: 'openid profile email offline_access',
      }),
    ]);
    const apiProfile = await alice.request.get('/api/local/profile');
    expect(await apiProfile.json()).toMatchObject({ sub: 'alice' });

    // bob, in his own browser, has no connection and cannot use alice's.
    const bob = await signIn('bob');
    expect(await status(bob)).toBe('not-connected');
    expect(await bob.textContent('body')).not.toContain('Load profile');
    const bobApi = await bob.request.get('/api/local/profile');
    expect(bobApi.status()).toBe(409);
    expect(await (await bob.request.get('/api/connections')).json()).toEqual([
      expect.objectContaining({ provider: 'local', connected: false }),
    ]);
    await screenshot(bob, `demo-${slug}-bob`);
    const sessions = await variant.sessionsInRedis();
    if (sessions !== null) expect(sessions).toBeGreaterThanOrEqual(2);

    // alice disconnects: the token is gone for her, from the page, the API and the database.
    await card(alice).getByRole('button', { name: 'Disconnect' }).click();
    await alice.waitForURL(`${running!.url}/`);
    expect(await status(alice)).toBe('not-connected');
    expect(await storedToken('alice')).toBeNull();
    expect(await variant.rawTokens(running!)).toEqual([]);
    expect(
      (await (await alice.request.get('/api/connections')).json())[0].connected,
    ).toBe(false);

    // Signing out ends the session: the API answers 401.
    await alice.getByRole('button', { name: 'Sign out' }).click();
    await alice.getByLabel('Name').waitFor();
    await screenshot(alice, `demo-${slug}-signed-out`);
    expect((await alice.request.get('/api/connections')).status()).toBe(401);
  });
});

import { BlueprintRegistry, OAuthConnections } from 'nest-dance';
import { Browser, Page } from 'playwright-core';
import { DemoUsersService } from '../../apps/demo/src/demo-users.service';
import { launchChromium, screenshot } from './support/chromium';
import { RunningDemo, startDemo } from './support/demo';

/**
 * The demo's connection cards in a real browser: two accounts of the local provider, a grant
 * revoked at the provider turning into "reconnect required" on the same page load, reconnect,
 * and disconnecting one account.
 */
describe('The demo connection cards in a real browser', () => {
  let browser: Browser;
  let running: RunningDemo;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startDemo();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.demo.close();
  });

  const card = () => page.locator('section[data-provider="local"]');
  const cardStatus = () =>
    card().locator('.row > [data-status]').getAttribute('data-status');
  const account = (sub: string) =>
    card().locator(`.account[data-account="${sub}"]`);

  /** Goes through the provider's login and consent pages as `username`. */
  async function consentAs(username: string): Promise<void> {
    await page.waitForURL(/\/interaction\//);
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${running.url}/`);
  }

  async function aliceUserId(): Promise<string> {
    return (await running.demo.app.get(DemoUsersService).signIn('alice')).id;
  }

  it('two accounts, a revoked grant shown as reconnect required on the same page load, reconnect, disconnect one', async () => {
    const context = await browser.newContext({ baseURL: running.url });
    page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Name').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#user-name');
    expect(await cardStatus()).toBe('not-connected');

    await card().getByRole('link', { name: 'Connect', exact: true }).click();
    await consentAs('alice');
    expect(await cardStatus()).toBe('connected');
    // Still signed in at the provider as alice: the link asks it to sign someone in again.
    await card()
      .getByRole('link', { name: 'Connect another account', exact: true })
      .click();
    await consentAs('alice-work');
    expect(await account('alice').locator('strong').textContent()).toBe(
      'alice',
    );
    expect(await account('alice-work').locator('strong').textContent()).toBe(
      'alice-work',
    );
    expect(await card().locator('.account').count()).toBe(2);
    await screenshot(page, 'demo-connections-two-accounts');

    // The provider revokes alice's first grant (as a user removing the app there would).
    const userId = await aliceUserId();
    const local = running.demo.app.get(BlueprintRegistry).get('local');
    const token = (await local.storage.get({
      provider: 'local',
      userId,
      accountId: 'alice',
    }))!;
    expect(await local.tokenEndpoint.revoke(token)).toBe(true);

    // One page load: the card checks its accounts at the provider and says so.
    await page.goto('/');
    expect(await cardStatus()).toBe('reconnect-required');
    expect(
      await account('alice').locator('[data-status], .error').textContent(),
    ).toContain('reconnect');
    await account('alice')
      .getByRole('link', { name: 'Reconnect', exact: true })
      .waitFor();
    expect(
      await account('alice-work')
        .getByRole('button', { name: 'Load profile' })
        .count(),
    ).toBe(1);
    await screenshot(page, 'demo-connections-reconnect-required');
    const listed = await running.demo.app
      .get(OAuthConnections)
      .list({ userId });
    expect(listed.map((c) => [c.accountId, c.status])).toEqual([
      ['alice', 'reconnect-required'],
      ['alice-work', 'active'],
    ]);
    const api = await page.request.get('/api/connections');
    expect((await api.json())[0]).toMatchObject({
      provider: 'local',
      connected: true,
      status: 'reconnect-required',
      accounts: [
        { accountId: 'alice', status: 'reconnect-required' },
        { accountId: 'alice-work', status: 'active' },
      ],
    });

    // Reconnecting the same provider account makes it active again, still two accounts.
    await account('alice')
      .getByRole('link', { name: 'Reconnect', exact: true })
      .click();
    await consentAs('alice');
    expect(await cardStatus()).toBe('connected');
    expect(await card().locator('.account').count()).toBe(2);
    expect(
      await card().locator('.row > [data-status]').textContent(),
    ).toContain('connected');

    // Disconnecting the work account leaves the first.
    await account('alice-work')
      .getByRole('button', { name: 'Disconnect' })
      .click();
    await page.waitForURL(`${running.url}/`);
    expect(await card().locator('.account').count()).toBe(1);
    expect(await account('alice').count()).toBe(1);
    await account('alice')
      .getByRole('button', { name: 'Load profile' })
      .click();
    const profile = JSON.parse(
      (await card().locator('pre.profile').textContent())!,
    );
    expect(profile).toMatchObject({ sub: 'alice' });
    await context.close();
  });
});

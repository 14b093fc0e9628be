import {
  auth0,
  azure,
  BlueprintOptions,
  github,
  google,
  InvalidOptionsError,
  keycloak,
  MemoryTokenStorage,
  okta,
  Preset,
  presets,
  shopify,
  slack,
  strava,
} from 'nest-dance';
import { CLIENT_ID, PRESET_CASES } from './support/preset-cases';

/** Flask-Dance 7.1's providers: its OAuth 2.0 ones and jira, its OAuth 1.0a one. */
const FLASK_DANCE = [
  'atlassian',
  'authentiq',
  'azure',
  'dexcom',
  'digitalocean',
  'discord',
  'dropbox',
  'facebook',
  'fitbit',
  'github',
  'gitlab',
  'google',
  'heroku',
  'jira',
  'linkedin',
  'meetup',
  'nylas',
  'orcid',
  'osm',
  'reddit',
  'salesforce',
  'slack',
  'spotify',
  'strava',
  'twitch',
  'zoho',
];

const all = Object.entries(presets) as [string, Preset<never>][];

function defaults(preset: Preset<never>): BlueprintOptions {
  return preset({ clientId: CLIENT_ID, ...preset.info.example } as never);
}

/** The OAuth 2.0 presets; OAuth 1.0a ones (jira) are covered by test/oauth1. */
const oauth2Presets = all.filter(
  ([, preset]) => defaults(preset).protocol !== 'oauth1',
);

describe('the presets registry', () => {
  it('ships at least 100 presets, all 26 Flask-Dance providers among them', () => {
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(FLASK_DANCE).toHaveLength(26);
    expect(Object.keys(presets)).toEqual(expect.arrayContaining(FLASK_DANCE));
    const flagged = all
      .filter(([, p]) => p.info.flaskDance)
      .map(([name]) => name);
    expect(flagged.sort()).toEqual([...FLASK_DANCE].sort());
  });

  it('has exactly one OAuth 1.0a preset, jira (its suite is test/oauth1)', () => {
    expect(
      all.filter(([, p]) => defaults(p).protocol === 'oauth1').map(([n]) => n),
    ).toEqual(['jira']);
  });

  it('names each preset once, by its key, its info and its default blueprint name', () => {
    const names = all.map(([, preset]) => defaults(preset).name);
    expect(new Set(names).size).toBe(all.length);
    for (const [key, preset] of all) {
      expect([key, preset.info.name, defaults(preset).name]).toEqual([
        key,
        key,
        key,
      ]);
    }
  });

  it.each(all)(
    '%s says which documentation page it was checked against, and when (or why not)',
    (_name, preset) => {
      const record = preset.info.verification;
      if ('unverified' in record) {
        expect(record).not.toHaveProperty('page');
        expect(record.unverified.length).toBeGreaterThan(30);
        return;
      }
      expect(record.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const day = new Date(`${record.checkedOn}T00:00:00Z`);
      expect(day.toISOString().slice(0, 10)).toBe(record.checkedOn);
      expect(day.getTime()).toBeLessThanOrEqual(Date.now());
      expect(day.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-01-01'));
      const page = new URL(record.page);
      expect(page.protocol).toBe('https:');
      expect(page.search).toBe('');
    },
  );

  it('leaves few presets unverified, each with its reason', () => {
    const unverified = all.filter(
      ([, preset]) => 'unverified' in preset.info.verification,
    );
    expect(unverified.length).toBeLessThanOrEqual(all.length / 10);
  });

  it('has a test case for every OAuth 2.0 preset', () => {
    const tested = new Set(PRESET_CASES.map((c) => c.preset));
    expect(
      oauth2Presets
        .map(([name]) => name)
        .filter((name) => !tested.has(name as never)),
    ).toEqual([]);
  });

  it.each(oauth2Presets)(
    '%s states every endpoint and policy explicitly',
    (_name, preset) => {
      const blueprint = defaults(preset);
      const https = /^https:\/\/[^/\s]+/;
      expect(blueprint.authorizationUrl).toMatch(https);
      expect(blueprint.tokenUrl).toMatch(https);
      if (blueprint.refreshUrl !== false)
        expect(blueprint.refreshUrl).toMatch(https);
      for (const url of [
        blueprint.revocationUrl,
        blueprint.baseUrl,
        blueprint.userInfoUrl,
      ]) {
        if (url !== undefined) expect(url).toMatch(https);
      }
      expect(typeof blueprint.pkce).toBe('boolean');
      expect([' ', ',']).toContain(blueprint.scopeSeparator);
      expect(['client_secret_post', 'client_secret_basic']).toContain(
        blueprint.tokenAuthMethod,
      );
      expect(preset.info.console.length).toBeGreaterThan(5);
      expect(preset.info.scopes.length).toBeGreaterThan(5);
      expect(Object.isFrozen(preset.info)).toBe(true);
    },
  );
});

describe('common preset options', () => {
  it('passes name, credentials, scope, redirects and storage through', () => {
    const blueprint = github({
      name: 'work-github',
      clientId: 'id',
      clientSecret: 'secret',
      scope: 'repo  read:org',
      redirectUrl: 'https://app.example.com/login/work-github/authorized',
      redirectTo: '/settings',
      storage: MemoryTokenStorage,
    });
    expect(blueprint).toMatchObject({
      name: 'work-github',
      clientId: 'id',
      clientSecret: 'secret',
      scope: ['repo', 'read:org'],
      redirectUrl: 'https://app.example.com/login/work-github/authorized',
      redirectTo: '/settings',
      storage: MemoryTokenStorage,
    });
  });

  it('uses the default scope unless given, and leaves out absent values', () => {
    const blueprint = github({ clientId: 'id' });
    expect(blueprint.scope).toEqual(['read:user', 'user:email']);
    for (const key of [
      'clientSecret',
      'redirectUrl',
      'redirectTo',
      'storage',
      'authorizationParams',
    ]) {
      expect(blueprint).not.toHaveProperty(key);
    }
    expect(slack({ clientId: 'id' })).not.toHaveProperty('scope');
  });

  it('merges authorizationParams over the preset’s own', () => {
    const blueprint = google({
      clientId: 'id',
      offline: true,
      authorizationParams: {
        prompt: 'select_account consent',
        login_hint: 'ann@example.com',
      },
    });
    expect(blueprint.authorizationParams).toEqual({
      access_type: 'offline',
      include_granted_scopes: 'true',
      prompt: 'select_account consent',
      login_hint: 'ann@example.com',
    });
  });

  it('adds offline scopes once', () => {
    expect(
      azure({
        clientId: 'id',
        offline: true,
        scope: ['User.Read', 'offline_access'],
      }).scope,
    ).toEqual(['User.Read', 'offline_access']);
    expect(
      strava({ clientId: 'id', scope: ['read', 'activity:read'] }).scope,
    ).toEqual(['read', 'activity:read']);
  });
});

describe('preset options that cannot work are refused with the fix', () => {
  it('requires a client id, naming the console', () => {
    expect(() => github({ clientId: '' })).toThrow(InvalidOptionsError);
    expect(() => github({ clientId: '' })).toThrow(
      /clientId is required: copy it from GitHub → Settings/,
    );
  });

  it('refuses a name that cannot be a route segment', () => {
    expect(() => github({ clientId: 'id', name: 'git hub/x' })).toThrow(
      /Invalid blueprint name/,
    );
  });

  it('requires the tenant options of tenant-based providers', () => {
    expect(() => auth0({ clientId: 'id' } as never)).toThrow(
      /auth0\(\): domain is required: give your tenant's domain/,
    );
    expect(() => okta({ clientId: 'id' } as never)).toThrow(
      /okta\(\): domain is required/,
    );
    expect(() =>
      keycloak({ clientId: 'id', baseUrl: 'https://sso.example.com' } as never),
    ).toThrow(/keycloak\(\): realm must be a non-empty path segment/);
    expect(() => shopify({ clientId: 'id' } as never)).toThrow(
      /shopify\(\): shop undefined is not a shop/,
    );
  });

  it('refuses hosts with paths, credentials or another domain', () => {
    expect(() =>
      auth0({ clientId: 'id', domain: 'acme.auth0.com/evil?x=' }),
    ).toThrow(/is not a host name/);
    expect(() =>
      auth0({ clientId: 'id', domain: 'user@acme.auth0.com' }),
    ).toThrow(/is not a host name/);
    expect(() => shopify({ clientId: 'id', shop: 'evil.com' })).toThrow(
      /is not a shop/,
    );
    expect(() =>
      shopify({ clientId: 'id', shop: 'acme.myshopify.com.evil.com' }),
    ).toThrow(/is not a shop/);
    expect(() =>
      keycloak({ clientId: 'id', baseUrl: 'ftp://sso', realm: 'acme' }),
    ).toThrow(/must be an http\(s\) URL/);
    expect(() => azure({ clientId: 'id', tenant: '../evil' })).toThrow(
      /tenant must be a non-empty path segment/,
    );
  });

  it('refuses option values the provider does not know', () => {
    expect(() => azure({ clientId: 'id', prompt: 'always' as never })).toThrow(
      /prompt must be one of 'login', 'none', 'consent', 'select_account'/,
    );
  });
});

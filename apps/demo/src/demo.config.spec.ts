import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoConfigError, loadDemoConfig } from './demo.config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadDemoConfig(env, '/srv/demo');
  } catch (error) {
    expect(error).toBeInstanceOf(DemoConfigError);
    return (error as DemoConfigError).problems;
  }
  throw new Error('expected a DemoConfigError');
};

describe('loadDemoConfig', () => {
  it('runs with zero configuration: SQLite file in ./data, built-in local provider, random session secret', () => {
    const config = loadDemoConfig({}, '/srv/demo');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      database: {
        type: 'better-sqlite3',
        database: '/srv/demo/data/demo.sqlite',
      },
      tablePrefix: '',
      redisUrl: undefined,
      local: { mode: 'builtin', port: 0 },
      providers: [],
      tokenEncryptionKeys: [],
      sessionSecretGenerated: true,
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadDemoConfig({}).sessionSecret).not.toBe(config.sessionSecret);
    expect(config.warnings).toEqual([
      expect.stringContaining('SESSION_SECRET is unset'),
    ]);
  });

  it('derives PUBLIC_URL from PORT and reads the database, Redis and prefixes', () => {
    const config = loadDemoConfig({
      PORT: '4100',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/demo',
      DATABASE_TABLE_PREFIX: 'one_',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'p1:',
      SESSION_SECRET: 's'.repeat(32),
    });
    expect(config.publicUrl).toBe('http://localhost:4100');
    expect(config.database).toEqual({
      type: 'postgres',
      url: 'postgresql://postgres@127.0.0.1:5432/demo',
    });
    expect(config.tablePrefix).toBe('one_');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisPrefix).toBe('p1:');
    expect(config.sessionSecret).toBe('s'.repeat(32));
    expect(config.warnings).toEqual([]);
    expect(
      loadDemoConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/demo' }).database,
    ).toEqual({ type: 'mysql', url: 'mysql://root@127.0.0.1/demo' });
  });

  it('warns that a random secret breaks sessions shared through Redis', () => {
    const config = loadDemoConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.warnings[0]).toContain(
      'other processes sharing REDIS_URL reject its cookies',
    );
  });

  it('lists every problem at once, each with its fix', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'http://localhost:3000/app',
      DATABASE_URL: 'mongodb://127.0.0.1/demo',
      REDIS_URL: 'http://127.0.0.1:6379',
      SESSION_SECRET: 'short',
      DATABASE_TABLE_PREFIX: 'bad prefix;',
      LOCAL_AUTH_SERVER: 'maybe',
    });
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).toMatch(/PORT="eighty": use a port number/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL=.*without path/);
    expect(problems.join('\n')).toMatch(
      /DATABASE_URL must start with sqlite:, postgres:\/\/, mysql:\/\/ or mariadb:\/\//,
    );
    expect(problems.join('\n')).toMatch(/REDIS_URL must be a redis:\/\//);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET is 5 characters/);
    expect(problems.join('\n')).toMatch(/DATABASE_TABLE_PREFIX/);
    expect(problems.join('\n')).toMatch(/LOCAL_AUTH_SERVER="maybe"/);
  });

  it('parses TOKEN_ENCRYPTION_KEYS: 32 bytes of base64 each, comma-separated', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64url');
    expect(
      loadDemoConfig({ TOKEN_ENCRYPTION_KEYS: ` ${a} , ${b}` })
        .tokenEncryptionKeys,
    ).toEqual([a, b]);
    const problems = problemsOf({
      TOKEN_ENCRYPTION_KEYS: `${a},${randomBytes(16).toString('base64')},not base64!`,
    });
    expect(problems).toEqual([
      expect.stringContaining('key #2 is not 32 bytes of base64'),
      expect.stringContaining('key #3 is not 32 bytes of base64'),
    ]);
  });

  it('enables a preset from <NAME>_CLIENT_ID, with its secret, scope and options', () => {
    const config = loadDemoConfig({
      GITHUB_CLIENT_ID: 'gh-id',
      GITHUB_CLIENT_SECRET: 'gh-secret',
      GITHUB_SCOPE: 'read:user,repo',
      GITHUB_ALLOW_SIGNUP: 'false',
      KEYCLOAK_CLIENT_ID: 'kc-id',
      KEYCLOAK_BASE_URL: 'https://sso.example.com',
      KEYCLOAK_REALM: 'acme',
    });
    expect(config.providers.map((p) => [p.title, p.blueprint.name])).toEqual([
      ['GitHub', 'github'],
      ['Keycloak', 'keycloak'],
    ]);
    const [github, keycloak] = config.providers.map((p) => p.blueprint);
    expect(github).toMatchObject({
      clientId: 'gh-id',
      clientSecret: 'gh-secret',
      scope: ['read:user', 'repo'],
      authorizationParams: { allow_signup: 'false' },
      authorizationUrl: 'https://github.com/login/oauth/authorize',
    });
    expect(keycloak.authorizationUrl).toContain(
      'https://sso.example.com/realms/acme/',
    );
  });

  it('names the missing preset option and the variable that sets it', () => {
    const problems = problemsOf({ KEYCLOAK_CLIENT_ID: 'kc-id' });
    expect(problems).toEqual([
      expect.stringMatching(
        /KEYCLOAK_CLIENT_ID enables Keycloak, but .*Its options are set with KEYCLOAK_BASE_URL, KEYCLOAK_REALM\./,
      ),
    ]);
  });

  it('refuses a <NAME>_CLIENT_ID that names no preset', () => {
    expect(problemsOf({ ACME_CLIENT_ID: 'x' })).toEqual([
      expect.stringMatching(
        /ACME_CLIENT_ID names no provider preset 'acme': use one of .*github/,
      ),
    ]);
  });

  it('refuses an empty <NAME>_CLIENT_ID, naming the variable', () => {
    expect(
      problemsOf({ GITHUB_CLIENT_ID: '  ', GITHUB_CLIENT_SECRET: 's' }),
    ).toEqual([
      'GITHUB_CLIENT_ID is set but empty: give it the client id of your github app ' +
        "(from the provider's console), or unset it to leave github out.",
    ]);
  });

  it('registers oidc from OIDC_ISSUER and OIDC_CLIENT_ID, which go together', () => {
    const config = loadDemoConfig({
      OIDC_ISSUER: 'https://accounts.example.com/',
      OIDC_CLIENT_ID: 'oidc-id',
      OIDC_CLIENT_SECRET: 'oidc-secret',
    });
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0].title).toBe(
      'OpenID Connect (accounts.example.com)',
    );
    expect(config.providers[0].blueprint).toMatchObject({
      name: 'oidc',
      issuer: 'https://accounts.example.com',
      clientId: 'oidc-id',
      clientSecret: 'oidc-secret',
      discoveryUrl:
        'https://accounts.example.com/.well-known/openid-configuration',
    });
    expect(problemsOf({ OIDC_ISSUER: 'https://accounts.example.com' })).toEqual(
      [expect.stringContaining('OIDC_ISSUER and OIDC_CLIENT_ID go together')],
    );
  });

  it('points local at a running LocalAuthorizationServer, or turns it off', () => {
    expect(
      loadDemoConfig({ LOCAL_AUTH_SERVER: 'http://127.0.0.1:4000/' }).local,
    ).toEqual({
      mode: 'external',
      issuer: 'http://127.0.0.1:4000',
      clientId: 'local-client',
      clientSecret: 'local-secret',
    });
    expect(loadDemoConfig({ LOCAL_AUTH_SERVER: 'off' }).local).toEqual({
      mode: 'off',
    });
    expect(loadDemoConfig({ LOCAL_AUTH_PORT: '4001' }).local).toEqual({
      mode: 'builtin',
      port: 4001,
    });
  });

  it('enables Sign in with Apple from APPLE_CLIENT_ID, APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY', async () => {
    const p8 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const config = loadDemoConfig({
      APPLE_CLIENT_ID: 'com.example.demo',
      APPLE_TEAM_ID: 'A1B2C3D4E5',
      APPLE_KEY_ID: 'KEY1234567',
      APPLE_PRIVATE_KEY: p8,
      APPLE_SCOPE: 'name email',
    });
    const [blueprint] = config.providers.map((p) => p.blueprint);
    expect(blueprint).toMatchObject({
      name: 'apple',
      authorizationParams: { response_mode: 'form_post' },
    });
    expect(blueprint.clientSecret).toBeUndefined();
    const secret = await blueprint.clientSecretFactory!();
    expect(
      JSON.parse(Buffer.from(secret.split('.')[1], 'base64url').toString()),
    ).toMatchObject({ iss: 'A1B2C3D4E5', sub: 'com.example.demo' });
  });

  describe('jira (OAuth 1.0a) from JIRA_CONSUMER_KEY and JIRA_RSA_KEY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-jira-'));
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(join(dir, 'jira_privatekey.pem'), pem);
    writeFileSync(join(dir, 'not-a-key.txt'), 'hello');

    it('enables jira with the key read from the file (relative to the working directory)', () => {
      const config = loadDemoConfig(
        {
          JIRA_CONSUMER_KEY: 'nest-dance-demo',
          JIRA_RSA_KEY_FILE: 'jira_privatekey.pem',
          JIRA_BASE_URL: 'https://jira.example.com',
          GITHUB_CLIENT_ID: 'gh-id',
        },
        dir,
      );
      expect(config.providers.map((p) => p.blueprint.name)).toEqual([
        'github',
        'jira',
      ]);
      const blueprint = config.providers[1].blueprint;
      expect(config.providers[1].title).toBe('Jira (Server / Data Center)');
      expect(blueprint).toMatchObject({
        protocol: 'oauth1',
        clientId: 'nest-dance-demo',
        signatureMethod: 'RSA-SHA1',
        rsaPrivateKey: pem,
        requestTokenUrl:
          'https://jira.example.com/plugins/servlet/oauth/request-token',
      });
    });

    it('names what is missing or wrong, with the fix', () => {
      expect(problemsOf({ JIRA_CONSUMER_KEY: 'k' })).toEqual([
        expect.stringContaining(
          'JIRA_CONSUMER_KEY and JIRA_RSA_KEY_FILE go together',
        ),
      ]);
      expect(
        problemsOf({
          JIRA_CONSUMER_KEY: 'k',
          JIRA_RSA_KEY_FILE: join(dir, 'missing.pem'),
          JIRA_BASE_URL: 'https://jira.example.com',
        }),
      ).toEqual([expect.stringMatching(/cannot be read \(ENOENT\)/)]);
      expect(
        problemsOf({
          JIRA_CONSUMER_KEY: 'k',
          JIRA_RSA_KEY_FILE: join(dir, 'not-a-key.txt'),
          JIRA_BASE_URL: 'https://jira.example.com',
        }),
      ).toEqual([expect.stringContaining('holds no PEM private key')]);
      expect(
        problemsOf({
          JIRA_CONSUMER_KEY: 'k',
          JIRA_RSA_KEY_FILE: join(dir, 'jira_privatekey.pem'),
        }),
      ).toEqual([expect.stringContaining('Set JIRA_BASE_URL')]);
    });

    it('refuses JIRA_CLIENT_ID, naming the variables OAuth 1.0a needs', () => {
      expect(problemsOf({ JIRA_CLIENT_ID: 'x' })).toEqual([
        expect.stringContaining('set JIRA_CONSUMER_KEY and JIRA_RSA_KEY_FILE'),
      ]);
    });
  });
});

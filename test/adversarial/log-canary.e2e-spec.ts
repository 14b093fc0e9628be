import { Injectable } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  BaseTokenStorage,
  MemoryTokenStorage,
  OAuthErrorEvent,
  OAuthToken,
  TokenKey,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { Logger as TypeOrmLogger } from 'typeorm';
import { TestDatabase, openTestDatabase } from '../support/databases';
import { localBlueprint } from '../support/dance-app';
import { AllLevelsLogger, StdioCapture } from './support/log-capture';
import { RecordingProxy } from './support/recording-proxy';
import {
  SecureApp,
  callbackFor,
  pathOf,
  signIn,
  startSecureApp,
} from './support/secure-app';
import { AdvToken, advStorage, newKey } from './support/token-table';

const tag = randomBytes(6).toString('hex');
const CANARY = 'CANARY-';
const canary = (kind: string, n: number): string =>
  `${CANARY}${kind}-${n}-${tag}`;
const CLIENT_SECRET = `${CANARY}SECRET-${tag}`;

/** The token endpoint's answer with planted values in every token field. */
function canaryToken(n: number): OAuthToken {
  return {
    access_token: canary('AT', n),
    refresh_token: canary('RT', n),
    // No id_token: a planted one is validated, hence refused (issue 14, test/protocol).
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'openid profile',
    canary_extra: { nested: canary('EXTRA', n) },
  };
}

/** A storage whose database "driver" fails with a message quoting the row, as some drivers do. */
@Injectable()
class QuotingFailureStorage extends BaseTokenStorage {
  async get(): Promise<OAuthToken | null> {
    return null;
  }
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    throw new Error(
      `duplicate key value violates unique constraint; Key (owner, token)=(${key.userId}, ` +
        `${JSON.stringify(token)}) already exists; access token ${String(token.access_token)}`,
    );
  }
  async delete(): Promise<void> {}
}

/** TypeORM's query log (queries with their parameters), as `logging: 'all'` would print it. */
class CapturingTypeOrmLogger implements TypeOrmLogger {
  readonly lines: string[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.lines.push(`query: ${query} -- ${inspect(parameters)}`);
  }
  logQueryError(error: string | Error, query: string, parameters?: unknown[]) {
    this.lines.push(`error: ${String(error)} ${query} ${inspect(parameters)}`);
  }
  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    this.lines.push(`slow: ${time} ${query} ${inspect(parameters)}`);
  }
  logSchemaBuild(message: string): void {
    this.lines.push(message);
  }
  logMigration(message: string): void {
    this.lines.push(message);
  }
  log(_level: string, message: unknown): void {
    this.lines.push(inspect(message));
  }
}

/**
 * The log canary (field.md: "Tokens never in URLs, never in logs or error messages"): a
 * representative slice of the e2e flow runs with every Nest log level on, TypeORM query logging,
 * stdout / stderr captured and the LocalAuthorizationServer child's stderr tapped, with planted
 * token values; nothing logged may contain a planted value, the client secret, a code or a
 * PKCE verifier.
 */
describe('Adversarial: log canary', () => {
  let server: LocalAuthorizationServer;
  let proxy: RecordingProxy;
  let sqlite: TestDatabase;
  let app: SecureApp | undefined;
  const logs = new AllLevelsLogger();
  const stdio = new StdioCapture();
  const typeorm = new CapturingTypeOrmLogger();
  const childOutput: string[] = [];
  const errors: OAuthErrorEvent[] = [];
  const codes: string[] = [];
  let childTapped = false;

  beforeAll(async () => {
    stdio.start();
    server = await LocalAuthorizationServer.start();
    // The child's stderr is piped only into a private tail buffer; tap it when reachable.
    const child = (server as unknown as { channel?: { child?: ChildProcess } })
      .channel?.child;
    if (child?.stderr) {
      child.stderr.on('data', (chunk: Buffer | string) =>
        childOutput.push(String(chunk)),
      );
      childTapped = true;
    }
    proxy = await RecordingProxy.start(server.endpoints.token);
    sqlite = await openTestDatabase(
      'sqlite-memory',
      'nd_adv_canary',
      [AdvToken],
      {
        logging: 'all',
        logger: typeorm,
      },
    );
  });
  afterAll(async () => {
    stdio.stop();
    await app?.close();
    await Promise.all([server?.stop(), proxy?.close(), sqlite?.close()]);
  });

  const blueprints = () => [
    localBlueprint(server, {
      clientId: `canary-client-${tag}`,
      clientSecret: CLIENT_SECRET,
      tokenUrl: proxy.url,
    }),
    localBlueprint(server, {
      name: 'flaky',
      clientId: `canary-flaky-${tag}`,
      clientSecret: CLIENT_SECRET,
      tokenUrl: proxy.url,
      storage: QuotingFailureStorage,
    }),
  ];

  async function startApp(
    options: Parameters<typeof startSecureApp>[1],
  ): Promise<SecureApp> {
    await app?.close();
    app = await startSecureApp(server, {
      logger: logs,
      blueprints: blueprints(),
      hooks: { error: (event) => void errors.push(event) },
      ...options,
    });
    return app;
  }

  /** One dance of `browser` at `blueprint`, the token endpoint playing `script`. */
  async function danceWith(
    browser: ReturnType<SecureApp['browser']>,
    script: (
      code: string,
    ) => Parameters<LocalAuthorizationServer['scriptTokenResponse']>[0],
    blueprint = 'local',
  ) {
    const callback = await callbackFor(browser, server, { blueprint });
    const code = callback.searchParams.get('code')!;
    codes.push(code);
    await server.scriptTokenResponse(script(code));
    return browser.get(pathOf(callback));
  }

  it('runs the dance, a refresh, a failed refresh, a failed token request and storage failures', async () => {
    // Encryption on, TypeORM with query logging: what the database log sees is ciphertext.
    await startApp({
      storage: advStorage(sqlite.dataSource),
      encryption: { keys: [newKey()] },
    });
    const alice = app!.browser();
    await signIn(alice, 'alice');
    expect(
      (await danceWith(alice, () => ({ body: canaryToken(1) }))).status,
    ).toBe(302);

    // A refresh (the token is made due) with a planted answer.
    const local = app!.blueprint();
    const stored = (await local.getToken({ userId: 'alice', refresh: false }))!;
    expect(stored.access_token).toBe(canary('AT', 1));
    await local.setToken({ ...stored, expires_in: 0 }, { userId: 'alice' });
    await server.scriptTokenResponse({ body: canaryToken(2) });
    const refreshed = await local.getToken({ userId: 'alice' });
    expect(refreshed?.access_token).toBe(canary('AT', 2));

    // The API refuses the planted token: a forced refresh fails, and the provider's text quotes
    // the refresh token it refused.
    await server.scriptTokenResponse({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `refresh token ${canary('RT', 2)} is invalid`,
      },
    });
    const forced = await alice.get('/me/provider-account');
    expect(forced.status).toBe(500);

    // A failed token request whose description echoes the code and the client secret.
    const bob = app!.browser();
    await signIn(bob, 'bob');
    const failed = await danceWith(bob, (code) => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `code ${code} was already used by ${CLIENT_SECRET}`,
      },
    }));
    expect(failed.status).toBe(502);

    // A storage failure (the storage sees ciphertext here).
    const carol = app!.browser();
    await signIn(carol, 'carol');
    const broken = await danceWith(
      carol,
      () => ({ body: canaryToken(3) }),
      'flaky',
    );
    expect(broken.status).toBe(500);

    // Without encryption, a storage that quotes the plaintext token in its error, and an
    // authorized hook that throws with the token in its message.
    await startApp({
      storage: MemoryTokenStorage,
      hooks: {
        error: (event) => void errors.push(event),
        authorized: ({ token, blueprint }) => {
          if (blueprint.name === 'local')
            throw new Error(
              `cannot map user for ${String(token.access_token)}`,
            );
        },
      },
    });
    const dave = app!.browser();
    await signIn(dave, 'dave');
    expect(
      (await danceWith(dave, () => ({ body: canaryToken(4) }), 'flaky')).status,
    ).toBe(500);
    expect(
      (await danceWith(dave, () => ({ body: canaryToken(5) }))).status,
    ).toBe(500);
    await app!.close();
    app = undefined;

    // The paths above did log (the scan below is not vacuous).
    const logged = logs.text();
    expect(logged).toMatch(/Storing the 'flaky' token failed/);
    expect(logged).toMatch(/The authorized hook of 'local' failed/);
    expect(logged).toMatch(/Refreshing the 'local' token failed/);
    expect(logged).toMatch(/\[redacted\]/);
    expect(typeorm.lines.join('\n')).toMatch(/INSERT INTO/);
    expect(errors.map((e) => e.error)).toEqual([
      'token_request_failed',
      'storage_failed',
      'storage_failed',
    ]);
    expect(childTapped).toBe(true);
  });

  it('finds no token, code, verifier or client secret in anything logged', () => {
    const verifiers = proxy.requests
      .map((r) => r.form.get('code_verifier'))
      .filter((v): v is string => !!v);
    expect(verifiers.length).toBeGreaterThanOrEqual(4);
    expect(codes.length).toBeGreaterThanOrEqual(5);
    const sources: Array<[string, string]> = [
      ['Nest logger (all levels)', logs.text()],
      ['process stdout/stderr', stdio.text()],
      ['TypeORM query log', typeorm.lines.join('\n')],
      ['LocalAuthorizationServer child stderr', childOutput.join('')],
      [
        'error events, as an app would log them',
        errors
          .map((e) =>
            inspect(
              {
                error: e.error,
                description: e.description,
                cause: (e.cause as Error | undefined)?.message,
              },
              { depth: 5 },
            ),
          )
          .join('\n'),
      ],
    ];
    const secrets = [CANARY, CLIENT_SECRET, ...codes, ...verifiers];
    const leaks = sources.flatMap(([source, text]) =>
      secrets
        .filter((secret) => text.includes(secret))
        .map((secret) => `${source} contains ${secret.slice(0, 12)}...`),
    );
    expect(leaks).toEqual([]);
  });
});

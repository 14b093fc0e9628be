import {
  Controller,
  Get,
  INestApplication,
  LoggerService,
  Module,
  Post,
  Type,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import cookieSession from 'cookie-session';
import session from 'express-session';
import {
  Blueprint,
  BlueprintRegistry,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthConsumerModuleExtras,
  OAuthConsumerModuleOptions,
  TOKEN_STORAGE,
  TokenStorage,
  TokenStorageBinding,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { localBlueprint } from '../../support/dance-app';
import { freePort } from '../../support/free-port';
import { signedInAppModule } from '../../support/session-app';
import { TestPlatform, createPlatformApp } from '../../support/platform-app';

/** Which session middleware the app runs. */
export type SessionKind = 'express-session' | 'cookie-session' | 'none';

/** Options of an adversarial test app. */
export interface SecureAppOptions extends Partial<OAuthConsumerModuleOptions> {
  /**
   * Default express-session (memory store). On Fastify `express-session` means @fastify/session
   * and `cookie-session` @fastify/secure-session.
   */
  session?: SessionKind;
  /** The Nest platform (default `express`). */
  platform?: TestPlatform;
  /** Default MemoryTokenStorage. */
  storage?: TokenStorageBinding;
  /** Default InProcessRefreshLock. */
  refreshLock?: OAuthConsumerModuleExtras['refreshLock'];
  /** The port on 127.0.0.1 (default: a free one); give the same one to restart "the same" app. */
  port?: number;
  /** Default none (`false`); give a logger to capture every level. */
  logger?: LoggerService | false;
  /** Extra controllers and providers (e.g. a storage's dependencies). */
  controllers?: Type<unknown>[];
  imports?: NonNullable<Parameters<typeof Module>[0]>['imports'];
}

/** A running adversarial test app on 127.0.0.1. */
export interface SecureApp {
  app: INestApplication;
  url: string;
  registry: BlueprintRegistry;
  /** The module storage (bound to TOKEN_STORAGE): what is really at rest, unwrapped. */
  storage: TokenStorage;
  /**
   * The session store (with `session: 'express-session'`; on Fastify @fastify/session's, read
   * through the same `all`), to inspect what it holds.
   */
  sessionStore?: session.MemoryStore;
  blueprint(name?: string): Blueprint;
  browser(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/**
 * App routes that touch the `local` token of the *current* user, as a real app would: none
 * of them returns the token itself. Adversarial tests throw foreign ids at them.
 */
@Controller('me')
export class MyConnectionController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  /** Whether the current user is connected, and the granted scope. */
  @Get('connection')
  async connection(): Promise<{ connected: boolean; scope: string | null }> {
    const token = await this.local.getToken();
    return { connected: token !== null, scope: token?.scope ?? null };
  }

  /** The provider account behind the current user's token (`{api}/user`). */
  @Get('provider-account')
  async providerAccount(): Promise<unknown> {
    const response = await this.local.fetch('api/user');
    return { status: response.status, body: await response.json() };
  }

  /** Disconnects the current user (revoking at the provider). */
  @Post('disconnect')
  async disconnect(): Promise<{ revoked: boolean }> {
    return this.local.deleteToken({ revoke: true });
  }
}

/** Starts an app with the dance routes, sign-in by name and `MyConnectionController`. */
export async function startSecureApp(
  server: LocalAuthorizationServer,
  options: SecureAppOptions = {},
): Promise<SecureApp> {
  const {
    session: sessionKind = 'express-session',
    platform = 'express',
    storage = MemoryTokenStorage,
    logger = false,
    controllers = [],
    imports = [],
    port = await freePort(),
    ...moduleOptions
  } = options;
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = moduleOptions.publicUrl ?? url;
  const blueprints = moduleOptions.blueprints ?? [localBlueprint(server)];
  if (publicUrl === url) {
    for (const blueprint of blueprints) {
      await server.registerClient({
        clientId: blueprint.clientId,
        clientSecret: blueprint.clientSecret,
        redirectUris: [`${url}/login/${blueprint.name}/authorized`],
      });
    }
  }

  const SecureAppModule = signedInAppModule(
    [
      ...imports,
      OAuthConsumerModule.forRoot({
        ...moduleOptions,
        publicUrl,
        storage,
        blueprints,
      }),
    ],
    [MyConnectionController, ...controllers],
  );

  const moduleRef = await Test.createTestingModule({
    imports: [SecureAppModule],
  }).compile();
  if (platform === 'fastify') {
    const { app, sessionStore } = await createPlatformApp(moduleRef, {
      platform,
      logger,
      session:
        sessionKind === 'express-session'
          ? 'server'
          : sessionKind === 'cookie-session'
            ? 'cookie'
            : 'none',
    });
    await app.listen(port, '127.0.0.1');
    const registry = app.get(BlueprintRegistry);
    return {
      app,
      url,
      registry,
      storage: app.get(TOKEN_STORAGE),
      // @fastify/session's memory store, read as express-session's (`all`).
      sessionStore:
        sessionKind === 'express-session'
          ? (sessionStore as unknown as session.MemoryStore)
          : undefined,
      blueprint: (name = 'local') => registry.get(name),
      browser: () => request.agent(url),
      close: () => app.close(),
    };
  }
  const app = moduleRef.createNestApplication(
    logger === false ? { logger: false } : { logger, bufferLogs: false },
  );
  if (logger !== false) app.useLogger(logger);
  let sessionStore: session.MemoryStore | undefined;
  if (sessionKind === 'express-session') {
    sessionStore = new session.MemoryStore();
    app.use(
      session({
        secret: 'test-session-secret',
        store: sessionStore,
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax' },
      }),
    );
  }
  if (sessionKind === 'cookie-session') {
    app.use(
      cookieSession({
        name: 'app-session',
        keys: ['cookie-session-signing-key'],
        httpOnly: true,
        sameSite: 'lax',
      }),
    );
  }
  await app.listen(port, '127.0.0.1');
  const registry = app.get(BlueprintRegistry);
  return {
    app,
    url,
    registry,
    storage: app.get(TOKEN_STORAGE),
    sessionStore,
    blueprint: (name = 'local') => registry.get(name),
    browser: () => request.agent(url),
    close: () => app.close(),
  };
}

/** Signs `browser` in as `name` (the fixture's sign-in by name). */
export async function signIn(
  browser: ReturnType<typeof request.agent>,
  name: string,
): Promise<void> {
  await browser.post('/auth/signin').send({ name }).expect(201);
}

/** Starts a dance in `browser` and returns the provider's redirect back, not yet followed. */
export async function callbackFor(
  browser: ReturnType<typeof request.agent>,
  server: LocalAuthorizationServer,
  options: { blueprint?: string; user?: string; next?: string } = {},
): Promise<URL> {
  const query =
    options.next === undefined
      ? ''
      : `?next=${encodeURIComponent(options.next)}`;
  const start = await browser
    .get(`/login/${options.blueprint ?? 'local'}${query}`)
    .expect(302);
  return new URL(
    await server.completeAuthorization(start.headers.location, {
      user: options.user ?? 'provider-user',
    }),
  );
}

/** Path and query of a URL, for the agent. */
export const pathOf = (url: URL): string => `${url.pathname}${url.search}`;

/** Runs the whole dance in `browser` and returns the app's answer to the callback. */
export async function dance(
  browser: ReturnType<typeof request.agent>,
  server: LocalAuthorizationServer,
  options: { blueprint?: string; user?: string; next?: string } = {},
): Promise<request.Response> {
  const callback = await callbackFor(browser, server, options);
  return browser.get(pathOf(callback));
}

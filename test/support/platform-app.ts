import { randomBytes } from 'node:crypto';
import { INestApplication, LoggerService } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession, {
  MemoryStore as FastifyMemoryStore,
} from '@fastify/session';
import fastifySecureSession from '@fastify/secure-session';
import cookieSession from 'cookie-session';
import session from 'express-session';

/** The Nest platforms the suites run on. */
export type TestPlatform = 'express' | 'fastify';

/** Every platform, for `describe.each(TEST_PLATFORMS)`. */
export const TEST_PLATFORMS: readonly TestPlatform[] = ['express', 'fastify'];

/**
 * The session the app runs: `server` (express-session / @fastify/session, memory store),
 * `cookie` (cookie-session / @fastify/secure-session: the data is the cookie) or none.
 */
export type TestSession = 'server' | 'cookie' | 'none';

/** How to build the app. */
export interface PlatformAppOptions {
  platform: TestPlatform;
  session?: TestSession;
  /** Default none (`false`). */
  logger?: LoggerService | false;
}

/** A fixture app before it listens, and what its session plugin keeps. */
export interface PlatformApp {
  app: INestApplication;
  platform: TestPlatform;
  /**
   * The server-side session records, as the store holds them (session `server` only): to
   * check what is at rest.
   */
  sessionRecords(): Promise<unknown[]>;
  /** The session store by id, as express-session's `MemoryStore.all` gives it (session `server`). */
  sessionStore: SessionStoreView;
}

/** What the suites read of a session store: every session by id. */
export interface SessionStoreView {
  all(callback: (error: unknown, all?: Record<string, unknown>) => void): void;
}

type SessionRecord = { userName?: string };

/**
 * Makes the app of `moduleRef` on `platform`, with its session plugin, and sets `request.user`
 * from the session's `userName` (the sign-in fixture): on Express the fixture's middleware does
 * it; on Fastify a `preHandler` hook, since Nest middleware there sees Node's request only.
 */
export async function createPlatformApp(
  moduleRef: TestingModule,
  options: PlatformAppOptions,
): Promise<PlatformApp> {
  const { platform, session: sessionKind = 'server', logger = false } = options;
  const appOptions =
    logger === false
      ? { logger: false as const }
      : { logger, bufferLogs: false };
  if (platform === 'express') {
    const app = moduleRef.createNestApplication(appOptions);
    if (logger !== false) app.useLogger(logger);
    const store = new session.MemoryStore();
    if (sessionKind === 'server') {
      app.use(
        session({
          secret: 'test-session-secret',
          store,
          resave: false,
          saveUninitialized: false,
          cookie: { httpOnly: true, sameSite: 'lax' },
        }),
      );
    }
    if (sessionKind === 'cookie') {
      app.use(
        cookieSession({
          name: 'app-session',
          keys: ['cookie-session-signing-key'],
          httpOnly: true,
          sameSite: 'lax',
        }),
      );
    }
    return {
      app,
      platform,
      sessionStore: store as unknown as SessionStoreView,
      sessionRecords: () =>
        new Promise((resolve, reject) =>
          store.all((error, all) =>
            error ? reject(error) : resolve(Object.values(all ?? {})),
          ),
        ),
    };
  }

  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter(),
    appOptions,
  );
  if (logger !== false) app.useLogger(logger);
  const records = new Map<string, unknown>();
  const store = new FastifyMemoryStore(records as Map<string, never>);
  if (sessionKind === 'server') {
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: randomBytes(32).toString('hex'),
      store,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false, path: '/' },
    });
  }
  if (sessionKind === 'cookie') {
    await app.register(fastifySecureSession, {
      key: randomBytes(32),
      cookieName: 'app-session',
      cookie: { httpOnly: true, sameSite: 'lax', path: '/' },
    });
  }
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (request, _reply, done) => {
      const record = (
        request as unknown as { session?: SessionRecord & { get?: unknown } }
      ).session;
      const name =
        record && typeof record.get === 'function'
          ? (record.get as (key: string) => string | undefined)('userName')
          : record?.userName;
      if (name)
        (request as unknown as { user?: unknown }).user = { id: name, name };
      done();
    });
  return {
    app,
    platform,
    sessionRecords: async () => [...records.values()],
    sessionStore: {
      all: (callback) => callback(null, Object.fromEntries(records)),
    },
  };
}

/** Initializes `app` for supertest on `app.getHttpServer()` (Fastify must also be ready). */
export async function initPlatformApp(app: INestApplication): Promise<void> {
  await app.init();
  const instance = app.getHttpAdapter().getInstance() as {
    ready?: () => Promise<unknown>;
  };
  if (typeof instance.ready === 'function') await instance.ready();
}

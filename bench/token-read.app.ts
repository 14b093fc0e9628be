import './register-paths';
import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import {
  Controller,
  DynamicModule,
  Get,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  Post,
  Req,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RedisStore } from 'connect-redis';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Keyv } from 'keyv';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  SessionTokenStorage,
  TokenStorageBinding,
  oauth2,
} from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { RedisClientType, createClient } from 'redis';
import {
  BenchToken,
  REDIS_PREFIX,
  REDIS_URL,
  USER_HEADER,
  benchDataSourceOptions,
  sampleToken,
} from './bench-env';
import { serveChild } from './child';
import { authenticateFromHeaderOnFastify, createBenchApp } from './platform';

/** How the app keeps tokens. */
export type TokenReadStorage =
  | 'memory'
  | 'session-memorystore'
  | 'session-redis'
  | 'typeorm-memory-cache'
  | 'typeorm-redis-cache'
  | 'typeorm-redis-client-cache'
  | 'typeorm';

/** The storages that need no session plugin: the ones the bench also runs on Fastify. */
export type SessionlessStorage = Exclude<TokenReadStorage, `session-${string}`>;

/** One server per variant: a storage on a platform (the session storages on Express only). */
export type TokenReadServer =
  | { platform: 'express'; storage: TokenReadStorage }
  | { platform: 'fastify'; storage: SessionlessStorage };

type UserRequest = Request & { user?: { id: string } };

/** The app's own authentication on Express: sets `req.user`, as Passport would. */
@Injectable()
class BenchAuthMiddleware implements NestMiddleware {
  use(request: UserRequest, _response: Response, next: NextFunction): void {
    const id = request.headers[USER_HEADER];
    if (typeof id === 'string') request.user = { id };
    next();
  }
}

/** The same controller with and without the token read. */
@Controller('bench')
class TokenReadController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get('baseline')
  baseline(@Req() request: UserRequest) {
    return { user: request.user?.id, connected: null };
  }

  @Get('token')
  async token(@Req() request: UserRequest) {
    const token = await this.local.getToken();
    return { user: request.user?.id, connected: token !== null };
  }

  @Post('seed')
  async seed(@Req() request: UserRequest) {
    await this.local.setToken(sampleToken(request.user!.id));
    return { seeded: true };
  }
}

/**
 * The app of one storage. On Express its auth middleware is Nest middleware on every route; on
 * Fastify the app adds an `onRequest` hook instead (`authenticateFromHeaderOnFastify`).
 */
function appModule(
  { platform, storage: variant }: TokenReadServer,
  url: string,
  redis: RedisClientType | undefined,
): DynamicModule {
  const typeorm = variant.startsWith('typeorm');
  const storage: TokenStorageBinding = typeorm
    ? TypeOrmTokenStorage.forEntity(BenchToken)
    : variant === 'memory'
      ? MemoryTokenStorage
      : SessionTokenStorage;
  const imports = [];
  if (typeorm) imports.push(TypeOrmModule.forRoot(benchDataSourceOptions()));
  if (variant === 'typeorm-memory-cache')
    imports.push(CacheModule.register({ isGlobal: true }));
  if (variant === 'typeorm-redis-cache') {
    const store = new Keyv({
      store: new KeyvRedis(REDIS_URL),
      namespace: `${REDIS_PREFIX}token-read-cache`,
    });
    imports.push(CacheModule.register({ isGlobal: true, stores: [store] }));
  }
  @Module({
    imports: [
      ...imports,
      OAuthConsumerModule.forRoot({
        publicUrl: url,
        storage,
        cache:
          variant === 'typeorm-redis-client-cache'
            ? { redis: redis!, keyPrefix: `${REDIS_PREFIX}token-read-client:` }
            : variant.endsWith('-cache'),
        blueprints: [
          oauth2({
            name: 'local',
            clientId: 'bench-client',
            clientSecret: 'bench-secret',
            authorizationUrl: 'http://127.0.0.1:9/authorize',
            tokenUrl: 'http://127.0.0.1:9/token',
          }),
        ],
      }),
    ],
    controllers: [TokenReadController],
  })
  class TokenReadModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      if (platform === 'express')
        consumer.apply(BenchAuthMiddleware).forRoutes('{*splat}');
    }
  }
  return { module: TokenReadModule };
}

async function sessionMiddleware(variant: TokenReadStorage) {
  const options: session.SessionOptions = {
    secret: 'bench-session-secret-0123456789abcdef',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 3_600_000 },
  };
  if (variant !== 'session-redis')
    return { middleware: session(options), close: async () => undefined };
  const client = await createClient({ url: REDIS_URL }).connect();
  const store = new RedisStore({ client, prefix: `${REDIS_PREFIX}sess:` });
  return {
    middleware: session({ ...options, store }),
    close: async () => void (await client.quit()),
  };
}

/**
 * Scenario 1's server: a Nest app on Express or Fastify whose `GET /bench/token` reads the
 * signed-in user's token through `blueprint.getToken()` and whose `GET /bench/baseline` does
 * not. Ready once it has seeded the user's token and read it back; tells the load generator
 * which headers to send.
 */
serveChild(async ({ port, ...server }: TokenReadServer & { port: number }) => {
  const variant = `${server.platform} ${server.storage}`;
  const url = `http://127.0.0.1:${port}`;
  // `cache: { redis }`: the app's own node-redis client.
  const redis =
    server.storage === 'typeorm-redis-client-cache'
      ? ((await createClient({ url: REDIS_URL }).connect()) as RedisClientType)
      : undefined;
  const app = await createBenchApp(
    appModule(server, url, redis),
    server.platform,
    {
      logger: false,
    },
  );
  if (server.platform === 'fastify') authenticateFromHeaderOnFastify(app);
  const sessions =
    server.platform === 'express' && server.storage.startsWith('session')
      ? await sessionMiddleware(server.storage)
      : undefined;
  if (sessions) app.use(sessions.middleware);
  await app.listen(port, '127.0.0.1');

  const headers: Record<string, string> = { [USER_HEADER]: 'alice' };
  const seeded = await fetch(`${url}/bench/seed`, {
    method: 'POST',
    headers,
  });
  const cookie = seeded.headers.getSetCookie()[0]?.split(';')[0];
  if (cookie) headers.cookie = cookie;
  const check = (await (
    await fetch(`${url}/bench/token`, { headers })
  ).json()) as { connected?: boolean };
  if (!seeded.ok || check.connected !== true)
    throw new Error(`${variant}: the seeded token does not read back`);
  return {
    ready: { url, headers },
    // The server's CPU time so far (µs), for CPU per request at a fixed rate.
    handle: async () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    close: async () => {
      await app.close();
      await sessions?.close();
      await redis?.quit();
    },
  };
});

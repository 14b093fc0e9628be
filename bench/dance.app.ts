import './register-paths';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifySession, {
  MemoryStore as FastifyMemoryStore,
} from '@fastify/session';
import {
  INestApplication,
  MiddlewareConsumer,
  Module,
  NestModule,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { OAuthConsumerModule, oauth2 } from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { BenchToken, USER_HEADER, benchDataSourceOptions } from './bench-env';
import { serveChild } from './child';
import {
  BenchPlatform,
  authenticateFromHeaderOnFastify,
  createBenchApp,
  fastifyOf,
} from './platform';

const SESSION_SECRET = 'bench-session-secret-0123456789abcdef';

/** Which platform the dance app runs on, and where its provider lives (a LocalAuthorizationServer). */
export interface DanceAppArgs {
  platform: BenchPlatform;
  port: number;
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
}

/** Time spent in callbacks and in their token requests since the last read, in ms. */
export interface DanceTimings {
  callbacks: number[];
  tokenRequests: number[];
}

/**
 * Times each request to the token URL into `into`: node's http diagnostics channels, from
 * sending to the end of the answer (the library's token requests go through node's http on
 * either platform).
 */
function timeTokenRequests(tokenUrl: string, into: number[]): void {
  const tokenPath = new URL(tokenUrl).pathname;
  const started = new WeakMap<object, number>();
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (request.path === tokenPath) started.set(request, performance.now());
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: ClientRequest };
    const t0 = started.get(request);
    if (t0 !== undefined) into.push(performance.now() - t0);
  });
}

/**
 * Express: times each callback into `callbacks` (from the first middleware to the response's
 * `finish`), then express-session with its MemoryStore. The auth middleware is the module's.
 */
function mountOnExpress(app: INestApplication, callbacks: number[]): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!request.path.endsWith('/authorized')) return next();
    const t0 = performance.now();
    response.once('finish', () => callbacks.push(performance.now() - t0));
    next();
  });
  app.use(
    session({
      secret: SESSION_SECRET,
      resave: false,
      saveUninitialized: false,
    }),
  );
}

/**
 * Fastify: times each callback into `callbacks` (an `onRequest` hook before every other, to
 * its `onResponse`), then @fastify/cookie and @fastify/session with its MemoryStore, then the
 * auth step as an `onRequest` hook on the FastifyRequest.
 */
async function mountOnFastify(
  app: NestFastifyApplication,
  callbacks: number[],
): Promise<void> {
  const fastify = fastifyOf(app);
  const started = new WeakMap<object, number>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.url.split('?', 1)[0].endsWith('/authorized'))
      started.set(request, performance.now());
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    const t0 = started.get(request);
    if (t0 !== undefined) callbacks.push(performance.now() - t0);
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: SESSION_SECRET,
    store: new FastifyMemoryStore(),
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: false, path: '/' },
  });
  authenticateFromHeaderOnFastify(app);
}

/**
 * Scenario 4's server: the dance routes of nest-dance with TypeORM storage on PostgreSQL, on
 * Express (express-session) or Fastify (@fastify/session), timing each callback (from arrival
 * to the response's end) and each request to the token URL (node's http diagnostics channels,
 * from sending to the end of the answer).
 */
serveChild(async (args: DanceAppArgs) => {
  const timings: DanceTimings = { callbacks: [], tokenRequests: [] };
  timeTokenRequests(args.tokenUrl, timings.tokenRequests);

  const url = `http://127.0.0.1:${args.port}`;
  @Module({
    imports: [
      TypeOrmModule.forRoot(benchDataSourceOptions()),
      OAuthConsumerModule.forRoot({
        publicUrl: url,
        storage: TypeOrmTokenStorage.forEntity(BenchToken),
        blueprints: [
          oauth2({
            name: 'local',
            clientId: args.clientId,
            clientSecret: args.clientSecret,
            authorizationUrl: args.authorizationUrl,
            tokenUrl: args.tokenUrl,
            scope: ['openid', 'offline_access'],
          }),
        ],
      }),
    ],
  })
  class DanceModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      // On Fastify the auth step is a hook (Nest middleware there sees Node's request only).
      if (args.platform !== 'express') return;
      consumer
        .apply(
          (
            request: Request & { user?: unknown },
            _response: Response,
            next: NextFunction,
          ) => {
            const id = request.headers[USER_HEADER];
            if (typeof id === 'string') request.user = { id };
            next();
          },
        )
        .forRoutes('{*splat}');
    }
  }

  const app = await createBenchApp(DanceModule, args.platform, {
    logger: ['error'],
  });
  if (args.platform === 'fastify')
    await mountOnFastify(app as NestFastifyApplication, timings.callbacks);
  else mountOnExpress(app, timings.callbacks);
  await app.listen(args.port, '127.0.0.1');
  return {
    ready: { url },
    handle: async (): Promise<DanceTimings> => {
      const taken = {
        callbacks: timings.callbacks.splice(0),
        tokenRequests: timings.tokenRequests.splice(0),
      };
      return taken;
    },
    close: () => app.close(),
  };
});

import './register-paths';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { OAuthConsumerModule, oauth2 } from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { BenchToken, USER_HEADER, benchDataSourceOptions } from './bench-env';
import { serveChild } from './child';

/** Where the dance app's provider lives (a LocalAuthorizationServer). */
export interface DanceAppArgs {
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
 * Scenario 4's server: the dance routes of nest-dance with TypeORM storage on PostgreSQL and
 * express-session, timing each callback (from arrival to the response's end) and each request
 * to the token URL (node's http diagnostics channels, from sending to the end of the answer).
 */
serveChild(async (args: DanceAppArgs) => {
  const timings: DanceTimings = { callbacks: [], tokenRequests: [] };
  // Token requests go through node's http (diagnostics channels: from sending to the whole answer).
  const tokenPath = new URL(args.tokenUrl).pathname;
  const started = new WeakMap<object, number>();
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    if (request.path === tokenPath) started.set(request, performance.now());
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: ClientRequest };
    const t0 = started.get(request);
    if (t0 !== undefined) timings.tokenRequests.push(performance.now() - t0);
  });

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

  const app = await NestFactory.create(DanceModule, { logger: ['error'] });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!request.path.endsWith('/authorized')) return next();
    const t0 = performance.now();
    response.once('finish', () =>
      timings.callbacks.push(performance.now() - t0),
    );
    next();
  });
  app.use(
    session({
      secret: 'bench-session-secret-0123456789abcdef',
      resave: false,
      saveUninitialized: false,
    }),
  );
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

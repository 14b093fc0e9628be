import './register-paths';
import { AsyncLocalStorage } from 'node:async_hooks';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Blueprint, getBlueprintToken } from 'nest-dance';
import { RedisClientType, createClient } from 'redis';
import { DataSource } from 'typeorm';
import { REDIS_URL, USER_HEADER } from './bench-env';
import { serveChild } from './child';
import {
  HandToken,
  handCacheKey,
  handWrittenModule,
} from './hand-written.module';
import { nestDanceModule } from './nest-dance.module';

/** Which app, on which port, against which provider. */
export interface SideBySideAppArgs {
  app: 'nest-dance' | 'hand-written';
  /** For reference rows only: nest-dance with another storage. */
  storage?: NestDanceReferenceStorage;
  /** For a reference row only: the hand-written app enters an AsyncLocalStorage per request. */
  context?: boolean;
  port: number;
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
}

/**
 * A reference nest-dance app's storage: `no-cache` (TypeORM on PostgreSQL without the Redis
 * cache), `memory` (MemoryTokenStorage, no database) or `memory-cache` (TypeORM behind an
 * in-memory cache: `cache: true` over CacheModule's default store).
 */
export type NestDanceReferenceStorage = 'no-cache' | 'memory' | 'memory-cache';

/** What the scenario asks an app over IPC. */
export type SideBySideCommand =
  { cpu: true } | { expire: string } | { connected: string } | { seed: string };

/**
 * The side-by-side scenario's server: the nest-dance app or the hand-written one, with the same
 * middleware in the same order (the app's auth, trusting a header as behind a gateway; then
 * express-session with its MemoryStore). Answers its CPU time, and expires a user's token.
 */
serveChild(async (args: SideBySideAppArgs) => {
  const redis = (await createClient({
    url: REDIS_URL,
  }).connect()) as RedisClientType;
  const module =
    args.app === 'nest-dance'
      ? nestDanceModule(args, redis)
      : handWrittenModule(args, redis);
  const app: INestApplication = await NestFactory.create(module, {
    logger: ['error'],
  });
  app.use(
    (
      request: Request & { user?: unknown },
      _response: Response,
      next: NextFunction,
    ) => {
      const id = request.headers[USER_HEADER];
      if (typeof id === 'string') request.user = { id };
      next();
    },
  );
  if (args.context) {
    const frames = new AsyncLocalStorage<{ request: Request }>();
    app.use((request: Request, _response: Response, next: NextFunction) =>
      frames.run({ request }, next),
    );
  }
  app.use(
    session({
      secret: 'bench-session-secret-0123456789abcdef',
      resave: false,
      saveUninitialized: false,
    }),
  );
  await app.listen(args.port, '127.0.0.1');

  const past = () => Math.floor(Date.now() / 1000) - 60;
  const expire = async (userId: string): Promise<boolean> => {
    if (args.app === 'nest-dance') {
      const local = app.get<Blueprint>(getBlueprintToken('local'));
      const token = await local.getToken({ userId, refresh: false });
      if (!token) return false;
      const { expires_in: _drop, ...rest } = token;
      await local.setToken({ ...rest, expires_at: past() }, { userId });
      return true;
    }
    const tokens = app.get(DataSource).getRepository(HandToken);
    const { affected } = await tokens.update(
      { userId, provider: 'local' },
      { expiresAt: String(past()) },
    );
    await redis.del(handCacheKey(userId));
    return (affected ?? 0) > 0;
  };

  /** Stores a live token for `userId` without the dance (for profiling one route by hand). */
  const seed = async (userId: string): Promise<boolean> => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    if (args.app === 'nest-dance') {
      await app.get<Blueprint>(getBlueprintToken('local')).setToken(
        {
          access_token: `seeded-${userId}`,
          refresh_token: `seeded-refresh-${userId}`,
          token_type: 'Bearer',
          expires_at: expiresAt,
        },
        { userId },
      );
      return true;
    }
    await app
      .get(DataSource)
      .getRepository(HandToken)
      .upsert(
        {
          userId,
          provider: 'local',
          accessToken: `seeded-${userId}`,
          refreshToken: `seeded-refresh-${userId}`,
          expiresAt: String(expiresAt),
        },
        ['userId', 'provider'],
      );
    await redis.del(handCacheKey(userId));
    return true;
  };

  return {
    ready: { url: `http://127.0.0.1:${args.port}` },
    handle: async (message) => {
      const command = message as SideBySideCommand;
      if ('cpu' in command) {
        const { user, system } = process.cpuUsage();
        return user + system;
      }
      if ('expire' in command) return expire(command.expire);
      if ('seed' in command) return seed(command.seed);
      return null;
    },
    close: async () => {
      await app.close();
      await redis.quit();
    },
  };
});

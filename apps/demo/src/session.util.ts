import { INestApplication, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { createClient } from 'redis';
import { DemoConfig } from './demo.config';

/** The demo's sessions: how to mount them on the app, and how to close their store. */
export interface DemoSessions {
  /** Mounts the session plugin (express-session, or @fastify/cookie + @fastify/session). */
  mount(app: INestApplication): Promise<void>;
  /** What the page footer says about it. */
  description: string;
  close(): Promise<void>;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'nest-dance-demo.sid';
const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Sessions in memory, or in Redis (connect-redis) when `REDIS_URL` is set, so every demo
 * process sharing that Redis and `SESSION_SECRET` knows every session: express-session on
 * Express, `@fastify/session` (same store, same cookie) on Fastify.
 */
export async function createDemoSessions(
  config: DemoConfig,
): Promise<DemoSessions> {
  const secure = config.publicUrl.startsWith('https:');
  const cookie = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    maxAge: SESSION_TTL_SECONDS * 1000,
    path: '/',
  };
  let store: RedisStore | undefined;
  let close = async (): Promise<void> => undefined;
  if (config.redisUrl) {
    const logger = new Logger('Demo');
    const client = createClient({ url: config.redisUrl });
    let reported = false;
    client.on('error', (error: Error) => {
      // Once per outage: node-redis reconnects by itself and emits on every attempt.
      if (reported) return;
      reported = true;
      logger.error(`Redis (sessions) failed: ${error.message}`);
    });
    client.on('ready', () => (reported = false));
    try {
      await client.connect();
    } catch (error) {
      client.destroy();
      throw new Error(
        `Cannot connect to REDIS_URL for sessions (${(error as Error).message}): start Redis or unset REDIS_URL.`,
      );
    }
    store = new RedisStore({
      client,
      prefix: `${config.redisPrefix}sess:`,
      ttl: SESSION_TTL_SECONDS,
    });
    close = async () => {
      if (client.isOpen) await client.quit();
    };
  }
  return {
    description: store ? 'Redis' : 'in memory',
    close,
    mount: async (app) => {
      if (config.platform === 'fastify') {
        const fastify = app as NestFastifyApplication;
        await fastify.register(fastifyCookie);
        await fastify.register(fastifySession, {
          cookieName: SESSION_COOKIE,
          secret: config.sessionSecret,
          saveUninitialized: false,
          cookie,
          // connect-redis speaks the express-session store interface, which @fastify/session takes.
          ...(store ? { store: store as never } : {}),
        });
        return;
      }
      app.use(
        session({
          name: SESSION_COOKIE,
          secret: config.sessionSecret,
          resave: false,
          saveUninitialized: false,
          proxy: secure ? true : undefined,
          cookie,
          ...(store ? { store } : {}),
        }),
      );
    },
  };
}

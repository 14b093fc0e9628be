import { Logger } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { DemoConfig } from './demo.config';

/** The demo's express-session middleware and how to close its store. */
export interface DemoSessions {
  middleware: RequestHandler;
  /** What the page footer says about it. */
  description: string;
  close(): Promise<void>;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'nest-dance-demo.sid';
const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * express-session in memory, or in Redis (connect-redis) when `REDIS_URL` is set, so every
 * demo process sharing that Redis and `SESSION_SECRET` knows every session.
 */
export async function createDemoSessions(
  config: DemoConfig,
): Promise<DemoSessions> {
  const secure = config.publicUrl.startsWith('https:');
  const options: session.SessionOptions = {
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    proxy: secure ? true : undefined,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: SESSION_TTL_SECONDS * 1000,
    },
  };
  if (!config.redisUrl) {
    return {
      middleware: session(options),
      description: 'in memory',
      close: async () => undefined,
    };
  }
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
  const store = new RedisStore({
    client,
    prefix: `${config.redisPrefix}sess:`,
    ttl: SESSION_TTL_SECONDS,
  });
  return {
    middleware: session({ ...options, store }),
    description: 'Redis',
    close: async () => {
      if (client.isOpen) await client.quit();
    },
  };
}

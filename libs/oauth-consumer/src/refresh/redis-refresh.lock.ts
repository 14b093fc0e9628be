import { randomUUID } from 'node:crypto';
import {
  Injectable,
  OnModuleDestroy,
  OnModuleInit,
  Type,
} from '@nestjs/common';
import type * as Redis from 'redis';
import { requireOptionalPeer } from '../optional-peer.util';
import { waitForLease } from './lock-wait.util';
import {
  RefreshLease,
  RefreshLock,
  RefreshLockTiming,
} from './refresh-lock.interface';

/**
 * The one Redis call the lock needs, as node-redis v4/v5 clients offer it
 * (for ioredis: `{ sendCommand: (args) => ioredis.call(args[0], ...args.slice(1)) }`).
 * @publicApi
 */
export interface RedisCommandSender {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Deletes the lock only while it still holds our owner token (compare-and-delete). */
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A refresh lock in Redis: `SET key owner NX PX ttl` to take it, a compare-and-delete script
 * to release it, so a holder whose lock expired can never free someone else's.
 * @publicApi
 */
export class RedisRefreshLock extends RefreshLock {
  constructor(
    private readonly redis: RedisCommandSender,
    private readonly keyPrefix = 'nest-dance:refresh-lock:',
  ) {
    super();
  }

  /**
   * A lock class that opens its own Redis connection to `url` (closed with the app),
   * for `OAuthConsumerModule.forRoot({ refreshLock: RedisRefreshLock.forUrl(url) })`.
   */
  static forUrl(url: string, keyPrefix?: string): Type<RefreshLock> {
    const { createClient } = requireOptionalPeer<typeof Redis>({
      packageName: 'redis',
      feature: 'RedisRefreshLock',
    });
    @Injectable()
    class OwnConnectionRedisRefreshLock
      extends RedisRefreshLock
      implements OnModuleInit, OnModuleDestroy
    {
      private readonly client = createClient({ url });

      constructor() {
        super(
          { sendCommand: (args) => this.client.sendCommand(args) },
          keyPrefix,
        );
        this.client.on('error', () => undefined); // surfaced by the failing command instead
      }

      async onModuleInit(): Promise<void> {
        await this.client.connect();
      }

      async onModuleDestroy(): Promise<void> {
        if (this.client.isOpen) await this.client.quit();
      }
    }
    return OwnConnectionRedisRefreshLock;
  }

  /** Takes the lock, waiting up to `waitMs`. */
  acquire(
    name: string,
    { ttlMs, waitMs }: RefreshLockTiming,
  ): Promise<RefreshLease> {
    const key = `${this.keyPrefix}${name}`;
    return waitForLease(name, waitMs, async () => {
      const owner = randomUUID();
      const reply = await this.redis.sendCommand([
        'SET',
        key,
        owner,
        'NX',
        'PX',
        String(ttlMs),
      ]);
      if (reply !== 'OK') return null;
      return {
        release: async () => {
          await this.redis.sendCommand([
            'EVAL',
            RELEASE_SCRIPT,
            '1',
            key,
            owner,
          ]);
        },
      };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { waitForLease } from './lock-wait.util';
import {
  RefreshLease,
  RefreshLock,
  RefreshLockTiming,
} from './refresh-lock.interface';

const held = new Map<string, number>();

/**
 * The default lock: serialises refreshes inside this process only (every app in it).
 * Enough for one process; bind `RedisRefreshLock` or `TypeOrmRefreshLock` for several.
 * @publicApi
 */
@Injectable()
export class InProcessRefreshLock extends RefreshLock {
  /** Takes the lock when free or expired. */
  acquire(
    name: string,
    { ttlMs, waitMs }: RefreshLockTiming,
  ): Promise<RefreshLease> {
    return waitForLease(name, waitMs, async () => {
      const now = Date.now();
      const until = held.get(name);
      if (until !== undefined && until > now) return null;
      const mine = now + ttlMs;
      held.set(name, mine);
      return {
        release: async () => {
          if (held.get(name) === mine) held.delete(name);
        },
      };
    });
  }
}

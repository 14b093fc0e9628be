import { setTimeout as sleep } from 'node:timers/promises';
import { RefreshLockTimeoutError } from '../errors/refresh-lock-timeout.error';
import { RefreshLease } from './refresh-lock.interface';

/**
 * Tries `attempt` until it returns a lease or `waitMs` runs out, sleeping a little longer
 * each time (10 ms doubling to 200 ms, with jitter so waiters do not retry in lockstep).
 */
export async function waitForLease(
  name: string,
  waitMs: number,
  attempt: () => Promise<RefreshLease | null>,
): Promise<RefreshLease> {
  const deadline = Date.now() + waitMs;
  let pause = 10;
  for (;;) {
    const lease = await attempt();
    if (lease) return lease;
    const left = deadline - Date.now();
    if (left <= 0) throw new RefreshLockTimeoutError(name, waitMs);
    await sleep(Math.min(left, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 200);
  }
}

/**
 * A held refresh lock; release it when the refresh is stored (or failed).
 * @publicApi
 */
export interface RefreshLease {
  release(): Promise<void>;
}

/**
 * How long a lock may be held and waited for.
 * @publicApi
 */
export interface RefreshLockTiming {
  /** The lock frees itself after this long, so a crashed holder cannot block refreshes forever. */
  ttlMs: number;
  /** Give up waiting for the lock after this long. */
  waitMs: number;
}

/**
 * Serialises refreshes of one token across processes (Redis, the database) so a rotating
 * refresh token is used exactly once. Bind one with `OAuthConsumerModule.forRoot({ refreshLock })`.
 * @publicApi
 */
export abstract class RefreshLock {
  /** Waits for and takes the lock called `name`; throws `RefreshLockTimeoutError` when the wait runs out. */
  abstract acquire(
    name: string,
    timing: RefreshLockTiming,
  ): Promise<RefreshLease>;
}

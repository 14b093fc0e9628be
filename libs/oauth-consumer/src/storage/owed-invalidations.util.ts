import { TokenKey } from './token-key.interface';

/** One invalidation that did not land: a new record per failure, so a retry settles only its own. */
interface OwedInvalidation {
  /** The token whose cached copy may be stale. */
  readonly key: TokenKey;
}

/**
 * Marks and removes the cached copy of `key` (`cacheKey` in the cache); resolves to whether
 * the cache answered every call.
 */
export type Invalidate = (key: TokenKey, cacheKey: string) => Promise<boolean>;

/**
 * The cache invalidations after writes that failed or timed out: each is retried, one key
 * after the other, every `retryAfterMs` until one lands, and until then this process neither
 * reads the key from the cache nor fills it (its cached copy may be the replaced token).
 * A later invalidation of the same key that lands settles what was owed before it started.
 * The timer is unref'd: what is owed does not keep the process alive on its own.
 */
export class OwedInvalidations {
  private readonly owed = new Map<string, OwedInvalidation>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(
    private readonly retryAfterMs: number,
    private readonly invalidate: Invalidate,
  ) {}

  /** Whether the cached copy under `cacheKey` may be stale (an invalidation is owed). */
  has(cacheKey: string): boolean {
    return this.owed.size !== 0 && this.owed.has(cacheKey);
  }

  /**
   * Runs `invalidation` of `key`'s cached copy (`cacheKey`): when it does not land, it is owed
   * and retried; when it lands, it settles what was owed as it started, unless another
   * invalidation of the key failed since (that one is still owed).
   */
  async attempt(
    key: TokenKey,
    cacheKey: string,
    invalidation: () => Promise<boolean>,
  ): Promise<void> {
    const before = this.owed.size === 0 ? undefined : this.owed.get(cacheKey);
    if (await invalidation()) this.landed(cacheKey, before);
    else this.owe(key, cacheKey);
  }

  private owe(key: TokenKey, cacheKey: string): void {
    this.owed.set(cacheKey, { key });
    this.schedule();
  }

  private landed(cacheKey: string, before: OwedInvalidation | undefined): void {
    if (before !== undefined && this.owed.get(cacheKey) === before)
      this.owed.delete(cacheKey);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.flushing) return;
    this.timer = setTimeout(() => void this.flush(), this.retryAfterMs);
    this.timer.unref();
  }

  /** Retries every owed invalidation; stops at the first that fails (the cache is still down). */
  private async flush(): Promise<void> {
    this.timer = undefined;
    this.flushing = true;
    try {
      for (const [cacheKey, record] of [...this.owed]) {
        if (this.owed.get(cacheKey) !== record) continue;
        if (!(await this.invalidate(record.key, cacheKey))) break;
        this.landed(cacheKey, record);
      }
    } finally {
      this.flushing = false;
      if (this.owed.size !== 0) this.schedule();
    }
  }
}

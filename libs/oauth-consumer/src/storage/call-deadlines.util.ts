/** A call waiting for its answer: `expire` runs once its deadline passed, unless it settled. */
export interface DeadlineEntry {
  /** When the call times out (`performance.now()` time). */
  deadline: number;
  /** Set when the call answered: the entry is then skipped. */
  settled: boolean;
  /** Times the call out. */
  expire(): void;
}

/** Past this many spent entries at the front, the queue's array is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Timeouts of many calls that all share one duration, on one timer. Every call's deadline is
 * later than the one before (same duration, later start), so the waiting calls form a queue in
 * deadline order: a call is pushed at the back, the timer is armed for the front only, and an
 * answered call is marked settled and dropped when it reaches the front. On a cache hit path
 * taking tens of thousands of calls per second this replaces a `setTimeout` and a
 * `clearTimeout` per call with an array push. The timer is unref'd: a pending call does not
 * keep the process alive on its own.
 */
export class CallDeadlines {
  private readonly queue: DeadlineEntry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  /** Starts the clock of `entry`; its `expire` runs `timeoutMs` from now unless it settles. */
  track(entry: Omit<DeadlineEntry, 'deadline'>): void {
    const tracked = entry as DeadlineEntry;
    tracked.deadline = performance.now() + this.timeoutMs;
    this.queue.push(tracked);
    if (!this.timer) this.arm(this.timeoutMs);
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.expireDue(), Math.max(1, delayMs));
    this.timer.unref();
  }

  private expireDue(): void {
    this.timer = undefined;
    const now = performance.now();
    const queue = this.queue;
    while (this.head < queue.length) {
      const entry = queue[this.head];
      if (!entry.settled && entry.deadline > now) break;
      this.head++;
      if (!entry.settled) {
        entry.settled = true;
        entry.expire();
      }
    }
    if (this.head === queue.length) {
      queue.length = 0;
      this.head = 0;
      return;
    }
    if (this.head > COMPACT_AFTER) {
      queue.splice(0, this.head);
      this.head = 0;
    }
    this.arm(queue[this.head].deadline - now);
  }
}

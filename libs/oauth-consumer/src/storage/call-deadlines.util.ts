/** A call waiting for its answer: `expire` runs once its deadline passed, unless it settled. */
export interface DeadlineEntry {
  /** When the call times out (`performance.now()` time), set by the queue's next tick. */
  deadline: number;
  /** Set when the call answered or timed out. */
  settled: boolean;
  /** Times the call out. */
  expire(): void;
}

/** Past this many spent entries at the front, the queue's array is compacted. */
const COMPACT_AFTER = 1024;

/**
 * The clock is read once per this share of the timeout, not once per call: a call is given up
 * between `timeoutMs` and `timeoutMs × (1 + 1 / STAMPS_PER_TIMEOUT)` after it began (later
 * when the event loop is busy, as any timer), never sooner.
 */
const STAMPS_PER_TIMEOUT = 4;

/**
 * Timeouts of many calls that all share one duration, on one timer. Every call's deadline is
 * later than the one before (same duration, later start), so the waiting calls form a queue in
 * deadline order: a call is pushed at the back. An answered call is marked settled, and the
 * settled calls at the front are dropped at once: a Redis connection answers in order, so the
 * queue stays as short as the calls in flight (entries kept until their deadline would outlive
 * the young generation, and cost a full garbage collection each). No clock is read per call
 * (on a cache hit path taking a hundred thousand calls per second, `performance.now()` was a
 * twentieth of what a call adds): while calls wait, the timer ticks every `timeoutMs /
 * STAMPS_PER_TIMEOUT` (or sooner, when the front call is due) and gives the calls that arrived
 * since its last tick the deadline `now + timeoutMs`, which is at least `timeoutMs` after each of
 * them began and at most a tick more. The timer is unref'd: a pending call does not keep the
 * process alive on its own.
 */
export class CallDeadlines {
  private readonly queue: (DeadlineEntry | undefined)[] = [];
  private head = 0;
  /** Entries from this index on have no deadline yet (they arrived since the last tick). */
  private unstamped = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly tickMs: number;

  constructor(private readonly timeoutMs: number) {
    this.tickMs = Math.max(1, Math.floor(timeoutMs / STAMPS_PER_TIMEOUT));
  }

  /**
   * Starts the clock of `entry`: it expires `timeoutMs` from now, or at most a tick later,
   * unless it settles first.
   */
  track(entry: DeadlineEntry): void {
    this.queue.push(entry);
    if (!this.timer) this.arm(this.tickMs);
  }

  /** Marks `entry` answered: it will not expire, and leaves the queue as soon as it can. */
  settle(entry: DeadlineEntry): void {
    entry.settled = true;
    if (this.queue[this.head] === entry) this.dropSettled();
  }

  private dropSettled(): void {
    const queue = this.queue;
    while (this.head < queue.length && queue[this.head]!.settled)
      queue[this.head++] = undefined;
    if (this.head === queue.length) {
      queue.length = 0;
      this.head = 0;
      this.unstamped = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.unstamped = Math.max(0, this.unstamped - this.head);
      this.head = 0;
    }
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), Math.max(1, delayMs));
    this.timer.unref();
  }

  /** Expires the calls whose deadline passed, and stamps those that arrived since the last tick. */
  private tick(): void {
    this.timer = undefined;
    const now = performance.now();
    const queue = this.queue;
    const deadline = now + this.timeoutMs;
    const stamped = queue.length;
    for (let i = Math.max(this.unstamped, this.head); i < stamped; i++)
      queue[i]!.deadline = deadline;
    this.unstamped = stamped;
    // An expiry's caller may make a new call (pushed behind `stamped`, stamped next tick).
    while (this.head < stamped) {
      const entry = queue[this.head]!;
      if (!entry.settled) {
        if (entry.deadline > now) break;
        entry.settled = true;
        entry.expire();
      }
      queue[this.head++] = undefined;
    }
    this.dropSettled();
    if (this.timer || this.head === queue.length) return;
    // The next tick: in a tick's time, to stamp what arrives, or when the front is due.
    const front = queue[this.head]!;
    this.arm(Math.min(this.tickMs, front.deadline - now));
  }
}

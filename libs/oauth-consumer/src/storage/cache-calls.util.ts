import { CallDeadlines, DeadlineEntry } from './call-deadlines.util';

/** What a cache call resolves to when the cache failed or did not answer in time. */
export const NO_CACHE_ANSWER: unique symbol = Symbol('no cache answer');

/** Told of every cache call's outcome: to bypass a failing cache for a while, and log once. */
export interface CacheHealth {
  /** A call answered (the cache works). */
  answered(): void;
  /** A call failed or timed out; `reason` names the error's kind, never a value. */
  failed(reason: string): void;
}

/**
 * Runs cache calls under one timeout each: a call resolves to its answer, or to
 * `NO_CACHE_ANSWER` when it failed or took longer than `timeoutMs` (an answer after that no
 * longer matters). On the hot path of every cached read, so it allocates little: one promise,
 * one record per call, no timer of its own (`CallDeadlines`).
 */
export class CacheCalls {
  private readonly deadlines: CallDeadlines;

  constructor(
    readonly timeoutMs: number,
    private readonly health: CacheHealth,
  ) {
    this.deadlines = new CallDeadlines(timeoutMs);
  }

  /** Runs `call`, bounded by the timeout; never rejects. */
  run<T>(call: () => Promise<T>): Promise<T | typeof NO_CACHE_ANSWER> {
    return this.runThen(call, undefined);
  }

  /**
   * Runs `call`, bounded by the timeout, and resolves to what `next` makes of its outcome (the
   * answer, or `NO_CACHE_ANSWER`), in the same step: one promise less than
   * `run(call).then(next)`. Rejects only when `next` throws.
   */
  runThen<T, R>(
    call: () => Promise<T>,
    next:
      ((outcome: T | typeof NO_CACHE_ANSWER) => R | PromiseLike<R>) | undefined,
  ): Promise<R> {
    const result = new Promise<R>(captureSettlers);
    const record = new PendingCacheCall<T, R>(
      this,
      capturedResolve as (result: R | PromiseLike<R>) => void,
      capturedReject,
      next,
    );
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(call());
    } catch (error) {
      pending = Promise.reject(error);
    }
    this.deadlines.track(record);
    pending.then(
      (value) => record.answer(value),
      (error: unknown) => record.fail(describeCacheError(error)),
    );
    return result;
  }

  /** @internal A call answered or failed before its deadline. */
  settled(record: DeadlineEntry, failure?: string): void {
    this.deadlines.settle(record);
    this.report(failure);
  }

  /** @internal Tells the health of an outcome (a timeout's record is settled by the queue). */
  report(failure?: string): void {
    if (failure === undefined) this.health.answered();
    else this.health.failed(failure);
  }
}

/**
 * The settlers of the promise `runThen` is building, handed over by `captureSettlers`: a
 * module-level executor saves a closure per call (the executor runs synchronously, inside
 * `new Promise`, so no other call can come between).
 */
let capturedResolve: (result: never) => void;
let capturedReject: (error: unknown) => void;

function captureSettlers(
  resolve: (result: never) => void,
  reject: (error: unknown) => void,
): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

class PendingCacheCall<T, R> implements DeadlineEntry {
  deadline = Number.POSITIVE_INFINITY;
  settled = false;

  constructor(
    private readonly calls: CacheCalls,
    private readonly resolve: (result: R | PromiseLike<R>) => void,
    private readonly reject: (error: unknown) => void,
    private readonly next:
      ((outcome: T | typeof NO_CACHE_ANSWER) => R | PromiseLike<R>) | undefined,
  ) {}

  answer(value: T): void {
    if (this.settled) return;
    this.calls.settled(this);
    this.finish(value);
  }

  fail(reason: string): void {
    if (this.settled) return;
    this.calls.settled(this, reason);
    this.finish(NO_CACHE_ANSWER);
  }

  /** The deadline passed (called by `CallDeadlines`, which marked it settled). */
  expire(): void {
    this.calls.report(`no answer within ${this.calls.timeoutMs} ms`);
    this.finish(NO_CACHE_ANSWER);
  }

  private finish(outcome: T | typeof NO_CACHE_ANSWER): void {
    if (this.next === undefined) {
      this.resolve(outcome as R);
      return;
    }
    try {
      this.resolve(this.next(outcome));
    } catch (error) {
      this.reject(error);
    }
  }
}

/** The error's kind and code only: a cache error message could quote the value it failed on. */
function describeCacheError(error: unknown): string {
  if (!(error instanceof Error)) return 'the cache call failed';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

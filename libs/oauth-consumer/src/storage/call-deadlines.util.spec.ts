import { CallDeadlines } from './call-deadlines.util';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entry() {
  const made = {
    deadline: 0,
    settled: false,
    expired: 0,
    expire: () => void made.expired++,
  };
  return made;
}

describe('CallDeadlines', () => {
  it('times out a call that does not answer, once, after about its timeout', async () => {
    const deadlines = new CallDeadlines(40);
    const call = entry();
    const started = performance.now();
    deadlines.track(call);
    await sleep(15);
    expect(call.expired).toBe(0);
    await sleep(120); // 40 ms and at most a tick (10 ms) more, and the timer's lateness
    expect(call.expired).toBe(1);
    expect(call.settled).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    await sleep(60);
    expect(call.expired).toBe(1);
  });

  it('never times out a call that answered', async () => {
    const deadlines = new CallDeadlines(20);
    const answered = entry();
    deadlines.track(answered);
    deadlines.settle(answered);
    await sleep(50);
    expect(answered.expired).toBe(0);
  });

  it('times out each waiting call at its own deadline, skipping those that answered', async () => {
    const deadlines = new CallDeadlines(200);
    const first = entry();
    const second = entry();
    const third = entry();
    deadlines.track(first);
    await sleep(150);
    deadlines.track(second);
    deadlines.track(third);
    deadlines.settle(second); // not at the front: dropped when the front goes
    await sleep(150); // first is due (300 ms > 200 + a tick), third is not (150 ms < 200)
    expect(first.expired).toBe(1);
    expect(third.expired).toBe(0);
    await sleep(180);
    expect(third.expired).toBe(1);
    expect(second.expired).toBe(0);
  });

  it('gives a call up no sooner than its timeout and about a tick later at most, whenever between two ticks it began', async () => {
    const timeoutMs = 40;
    const deadlines = new CallDeadlines(timeoutMs);
    const calls: Array<{ started: number; expiredAt?: number }> = [];
    for (let i = 0; i < 25; i++) {
      const call = {
        started: performance.now(),
        expiredAt: undefined as number | undefined,
      };
      calls.push(call);
      deadlines.track({
        deadline: Number.POSITIVE_INFINITY,
        settled: false,
        expire: () => void (call.expiredAt = performance.now()),
      });
      await sleep(3);
    }
    await sleep(timeoutMs * 3);
    for (const call of calls) {
      expect(call.expiredAt).toBeDefined();
      expect(call.expiredAt! - call.started).toBeGreaterThanOrEqual(timeoutMs);
      // At most a tick (10 ms) later, and what a busy test machine makes a timer late by.
      expect(call.expiredAt! - call.started).toBeLessThan(timeoutMs + 10 + 100);
    }
  });

  it('does not time out at once a call made while the timer expires another', async () => {
    const deadlines = new CallDeadlines(40);
    const retry = entry();
    let retriedAt = 0;
    const first = {
      deadline: Number.POSITIVE_INFINITY,
      settled: false,
      expire: () => {
        retriedAt = performance.now();
        deadlines.track(retry); // as a read that falls back and asks the cache again
      },
    };
    deadlines.track(first);
    await sleep(70);
    expect(retriedAt).toBeGreaterThan(0);
    expect(retry.expired).toBe(0);
    await sleep(200);
    expect(retry.expired).toBe(1);
  });

  it('keeps no answered call, and still times out the next one after thousands', async () => {
    const deadlines = new CallDeadlines(20);
    for (let i = 0; i < 5000; i++) {
      const answered = entry();
      deadlines.track(answered);
      deadlines.settle(answered);
    }
    // Answered in order, as a Redis connection answers: nothing is kept for the timer.
    expect((deadlines as unknown as { queue: unknown[] }).queue).toHaveLength(
      0,
    );
    const late = entry();
    deadlines.track(late);
    await sleep(60);
    expect(late.expired).toBe(1);
  });
});

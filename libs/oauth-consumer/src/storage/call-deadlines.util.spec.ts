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
    await sleep(60);
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
    const deadlines = new CallDeadlines(60);
    const first = entry();
    const second = entry();
    const third = entry();
    deadlines.track(first);
    await sleep(30);
    deadlines.track(second);
    deadlines.track(third);
    deadlines.settle(second); // not at the front: dropped when the front goes
    await sleep(45); // first is due (75 ms > 60), third is not yet (45 ms < 60)
    expect(first.expired).toBe(1);
    expect(third.expired).toBe(0);
    await sleep(40);
    expect(third.expired).toBe(1);
    expect(second.expired).toBe(0);
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

import { CacheCalls, NO_CACHE_ANSWER } from './cache-calls.util';

function healthLog() {
  const log: string[] = [];
  return {
    log,
    health: {
      answered: () => void log.push('answered'),
      failed: (reason: string) => void log.push(`failed: ${reason}`),
    },
  };
}

describe('CacheCalls', () => {
  it('resolves to the answer and reports the cache healthy', async () => {
    const { log, health } = healthLog();
    const calls = new CacheCalls(100, health);
    await expect(calls.run(() => Promise.resolve('value'))).resolves.toBe(
      'value',
    );
    expect(log).toEqual(['answered']);
  });

  it('resolves to NO_CACHE_ANSWER on a rejection or a synchronous throw, naming only the kind', async () => {
    const { log, health } = healthLog();
    const calls = new CacheCalls(100, health);
    const refused = Object.assign(new Error('token secret-123 refused'), {
      code: 'ECONNREFUSED',
    });
    await expect(calls.run(() => Promise.reject(refused))).resolves.toBe(
      NO_CACHE_ANSWER,
    );
    await expect(
      calls.run(() => {
        throw new TypeError('bad secret-456');
      }),
    ).resolves.toBe(NO_CACHE_ANSWER);
    expect(log).toEqual(['failed: Error ECONNREFUSED', 'failed: TypeError']);
    expect(log.join()).not.toContain('secret');
  });

  it('gives up on a call slower than the timeout, and ignores its late answer', async () => {
    const { log, health } = healthLog();
    const calls = new CacheCalls(30, health);
    let answer!: (value: string) => void;
    const started = performance.now();
    const outcome = await calls.run(
      () => new Promise<string>((resolve) => (answer = resolve)),
    );
    expect(outcome).toBe(NO_CACHE_ANSWER);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    answer('too late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['failed: no answer within 30 ms']);
    // The next call works as before.
    await expect(calls.run(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it('runThen hands the answer, a failure or a timeout to next and resolves to its result', async () => {
    const { log, health } = healthLog();
    const calls = new CacheCalls(30, health);
    const seen: unknown[] = [];
    const next = (outcome: unknown) => {
      seen.push(outcome);
      return outcome === NO_CACHE_ANSWER
        ? Promise.resolve('from the storage')
        : `hit ${String(outcome)}`;
    };
    await expect(calls.runThen(() => Promise.resolve('a'), next)).resolves.toBe(
      'hit a',
    );
    await expect(
      calls.runThen(() => Promise.reject(new Error('down')), next),
    ).resolves.toBe('from the storage');
    await expect(
      calls.runThen(() => new Promise<string>(() => undefined), next),
    ).resolves.toBe('from the storage');
    expect(seen).toEqual(['a', NO_CACHE_ANSWER, NO_CACHE_ANSWER]);
    expect(log).toEqual([
      'answered',
      'failed: Error',
      'failed: no answer within 30 ms',
    ]);
    const broken = new Error('next failed');
    await expect(
      calls.runThen(
        () => Promise.resolve('b'),
        () => {
          throw broken;
        },
      ),
    ).rejects.toBe(broken);
  });
});

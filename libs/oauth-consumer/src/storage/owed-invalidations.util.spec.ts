import { OwedInvalidations } from './owed-invalidations.util';
import { TokenKey } from './token-key.interface';

const KEY: TokenKey = { provider: 'github', userId: 'ann' };
const CACHE_KEY = 'nest-dance:token:github:ann';

describe('OwedInvalidations', () => {
  it('retries what is owed until an invalidation lands, then forgets it', async () => {
    const answers = [false, false, true];
    const tried: string[] = [];
    const owed = new OwedInvalidations(5, (key, cacheKey) => {
      tried.push(`${key.userId} ${cacheKey}`);
      return Promise.resolve(answers.shift() ?? true);
    });
    owed.owe(KEY, CACHE_KEY);
    expect(owed.has(CACHE_KEY)).toBe(true);
    const until = Date.now() + 2_000;
    while (owed.size !== 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(owed.has(CACHE_KEY)).toBe(false);
    expect(tried).toEqual([
      `ann ${CACHE_KEY}`,
      `ann ${CACHE_KEY}`,
      `ann ${CACHE_KEY}`,
    ]);
  });

  it('an invalidation that started before a newer failure does not settle it', () => {
    const owed = new OwedInvalidations(60_000, () => Promise.resolve(false));
    owed.owe(KEY, CACHE_KEY);
    const before = owed.current(CACHE_KEY);
    owed.owe(KEY, CACHE_KEY); // another write's invalidation failed meanwhile
    owed.landed(CACHE_KEY, before);
    expect(owed.has(CACHE_KEY)).toBe(true);
    owed.landed(CACHE_KEY, owed.current(CACHE_KEY));
    expect(owed.has(CACHE_KEY)).toBe(false);
  });

  it('an invalidation that started with nothing owed settles nothing owed since', () => {
    const owed = new OwedInvalidations(60_000, () => Promise.resolve(false));
    const before = owed.current(CACHE_KEY);
    owed.owe(KEY, CACHE_KEY);
    owed.landed(CACHE_KEY, before);
    expect(owed.has(CACHE_KEY)).toBe(true);
  });
});

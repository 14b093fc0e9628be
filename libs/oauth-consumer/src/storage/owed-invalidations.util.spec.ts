import { OwedInvalidations } from './owed-invalidations.util';
import { TokenKey } from './token-key.interface';

const KEY: TokenKey = { provider: 'github', userId: 'ann' };
const CACHE_KEY = 'nest-dance:token:github:ann';

/** An invalidation starts; another write's invalidation fails meanwhile; then the first lands. */
async function landAfterANewerFailure(owed: OwedInvalidations): Promise<void> {
  let land!: (landed: boolean) => void;
  const outcome = new Promise<boolean>((resolve) => (land = resolve));
  const started = owed.attempt(KEY, CACHE_KEY, () => outcome);
  await owed.attempt(KEY, CACHE_KEY, () => Promise.resolve(false));
  land(true);
  await started;
}

describe('OwedInvalidations', () => {
  it('retries what is owed until an invalidation lands, then forgets it', async () => {
    const answers = [false, false, true];
    const tried: string[] = [];
    const owed = new OwedInvalidations(5, (key, cacheKey) => {
      tried.push(`${key.userId} ${cacheKey}`);
      return Promise.resolve(answers.shift() ?? true);
    });
    await owed.attempt(KEY, CACHE_KEY, () => Promise.resolve(false));
    expect(owed.has(CACHE_KEY)).toBe(true);
    const until = Date.now() + 2_000;
    while (owed.has(CACHE_KEY) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(owed.has(CACHE_KEY)).toBe(false);
    expect(tried).toEqual([
      `ann ${CACHE_KEY}`,
      `ann ${CACHE_KEY}`,
      `ann ${CACHE_KEY}`,
    ]);
  });

  it('an invalidation that started before a newer failure does not settle it', async () => {
    const owed = new OwedInvalidations(60_000, () => Promise.resolve(false));
    await owed.attempt(KEY, CACHE_KEY, () => Promise.resolve(false));
    await landAfterANewerFailure(owed);
    expect(owed.has(CACHE_KEY)).toBe(true);
    await owed.attempt(KEY, CACHE_KEY, () => Promise.resolve(true));
    expect(owed.has(CACHE_KEY)).toBe(false);
  });

  it('an invalidation that started with nothing owed settles nothing owed since', async () => {
    const owed = new OwedInvalidations(60_000, () => Promise.resolve(false));
    await landAfterANewerFailure(owed);
    expect(owed.has(CACHE_KEY)).toBe(true);
  });
});

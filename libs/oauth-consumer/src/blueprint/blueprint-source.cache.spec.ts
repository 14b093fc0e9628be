import { Logger } from '@nestjs/common';
import { MemoryTokenStorage } from '../storage/memory-token.storage';
import { Blueprint } from './blueprint';
import { BlueprintOptions } from './blueprint-options.interface';
import { BlueprintSourceCache } from './blueprint-source.cache';

/** A source whose answers the test releases by hand. */
function deferredSource() {
  const calls: Array<{
    name: string;
    answer: (options: BlueprintOptions | undefined) => void;
  }> = [];
  return {
    calls,
    source: {
      resolve: (name: string) =>
        new Promise<BlueprintOptions | undefined>((answer) =>
          calls.push({ name, answer }),
        ),
    },
  };
}

const options = (name: string): BlueprintOptions => ({
  name,
  clientId: `${name}-client`,
  authorizationUrl: 'https://idp.example.com/authorize',
  tokenUrl: 'https://idp.example.com/token',
});
const build = async (o: BlueprintOptions) => ({ name: o.name }) as Blueprint;
const storage = new MemoryTokenStorage();

describe('BlueprintSourceCache', () => {
  it('asks the source once per name at a time', async () => {
    const { calls, source } = deferredSource();
    const cache = new BlueprintSourceCache(source, build, storage, true);
    const both = Promise.all([cache.resolve('acme'), cache.resolve('acme')]);
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    calls[0].answer(options('acme'));
    const [a, b] = await both;
    expect(a).toBe(b);
    expect(cache.cached('acme')).toBe(a);
  });

  it('does not cache an answer read before invalidate(name)', async () => {
    const { calls, source } = deferredSource();
    const cache = new BlueprintSourceCache(source, build, storage, true);
    const stale = cache.resolve('acme');
    await Promise.resolve();
    cache.invalidate('acme');
    calls[0].answer(options('acme'));
    await stale;
    expect(cache.cached('acme')).toBeUndefined();
  });

  it('treats a blueprint of another name as unusable (404), logging the fix', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation();
    const cache = new BlueprintSourceCache(
      { resolve: () => options('other') },
      build,
      storage,
      true,
    );
    await expect(cache.resolve('acme')).resolves.toBeNull();
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/'acme' is not usable.*named "other"/),
    );
    error.mockRestore();
  });

  it('refuses a source without resolve() and bad cache sizes, naming the fix', () => {
    expect(
      () => new BlueprintSourceCache({} as never, build, storage, true),
    ).toThrow(/needs a resolve\(name\) function/);
    expect(
      () =>
        new BlueprintSourceCache(
          { resolve: () => undefined, cache: { max: 0 } },
          build,
          storage,
          true,
        ),
    ).toThrow(/cache\.max must be a positive number/);
  });
});

import { tokenCacheKey } from './cached-token.storage';
import { TokenKey } from './token-key.interface';
import { TokenKeyStrings } from './token-key-strings.util';

function counting() {
  const built: TokenKey[] = [];
  const strings = new TokenKeyStrings((key) => {
    built.push(key);
    return tokenCacheKey(key);
  });
  return { strings, built };
}

describe('TokenKeyStrings', () => {
  it('gives what the builder gives, building each key once', () => {
    const { strings, built } = counting();
    const keys: TokenKey[] = [
      { provider: 'github', userId: 'alice' },
      { provider: 'github', userId: 'bob' },
      { provider: 'google', userId: 'alice' },
      { provider: 'github', userId: 'alice', accountId: '42' },
      { provider: 'github', userId: 'alice', accountId: '43' },
      { provider: 'github', userId: null },
      { provider: 'github', userId: 'a|u:b' },
    ];
    for (let round = 0; round < 3; round++)
      for (const key of keys)
        expect(strings.of({ ...key })).toBe(tokenCacheKey(key));
    expect(built).toHaveLength(keys.length);
    expect(new Set(keys.map((key) => strings.of(key))).size).toBe(keys.length);
  });

  it('remembers a userless key with an account like any other', () => {
    const { strings, built } = counting();
    const key: TokenKey = { provider: 'github', userId: null, accountId: '7' };
    expect(strings.of(key)).toBe(tokenCacheKey(key));
    expect(strings.of({ ...key })).toBe(tokenCacheKey(key));
    expect(built).toHaveLength(1);
  });

  it('stays bounded: past its limit it forgets and builds again, still right', () => {
    const { strings, built } = counting();
    const wrong: string[] = [];
    for (let i = 0; i < 25_000; i++) {
      const text = strings.of({ provider: 'github', userId: `user-${i}` });
      if (text !== `nest-dance:token:github|u:user-${i}`) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    // Checked before each call, which adds at most three entries (provider, user, key).
    const size = (strings as unknown as { size: number }).size;
    expect(size).toBeLessThan(10_000 + 3);
    built.length = 0;
    strings.of({ provider: 'github', userId: 'user-0' });
    expect(built).toHaveLength(1); // forgotten long ago
  });
});

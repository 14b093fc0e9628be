import { serializeTokenKey } from './token-key.util';

describe('serializeTokenKey', () => {
  it('gives different strings for keys that differ only by separators', () => {
    const keys = [
      serializeTokenKey({ provider: 'a|b', userId: 'c' }),
      serializeTokenKey({ provider: 'a', userId: 'b|c' }),
      serializeTokenKey({ provider: 'a', userId: null }),
      serializeTokenKey({ provider: 'a', userId: '-' }),
      serializeTokenKey({ provider: 'a', userId: 'x', accountId: 'y' }),
      serializeTokenKey({ provider: 'a', userId: 'x|a:y' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is stable', () => {
    expect(serializeTokenKey({ provider: 'github', userId: '42' })).toBe(
      'github|u:42',
    );
    expect(serializeTokenKey({ provider: 'github', userId: null })).toBe(
      'github|-',
    );
  });
});

import { parseTokenKey, serializeTokenKey } from './token-key.util';

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

  it('escapes every part exactly as encodeURIComponent does (keys written before stay valid)', () => {
    const parts = [
      'plain-id_42.x~',
      "!*'()",
      'a|b',
      'a:b',
      'ünïcode',
      '100%',
      'with space',
      '😀',
      '',
      'auth0|5f8d',
    ];
    for (const part of parts)
      expect(
        serializeTokenKey({ provider: part, userId: part, accountId: part }),
      ).toBe(
        `${encodeURIComponent(part)}|u:${encodeURIComponent(part)}|a:${encodeURIComponent(part)}`,
      );
    // A lone surrogate has no UTF-8 form: refused, as encodeURIComponent refuses it.
    expect(() =>
      serializeTokenKey({ provider: 'github', userId: '\ud800' }),
    ).toThrow(URIError);
  });
});

describe('parseTokenKey', () => {
  it('reads back every serialized key', () => {
    const keys = [
      { provider: 'a|b', userId: 'c' },
      { provider: 'a', userId: null },
      { provider: 'a', userId: '-' },
      { provider: 'github', userId: 'x|a:y', accountId: 'w|o%rk' },
    ];
    for (const key of keys)
      expect(parseTokenKey(serializeTokenKey(key))).toEqual(key);
  });

  it('refuses text that is not a key', () => {
    expect(parseTokenKey('github')).toBeNull();
    expect(parseTokenKey('github|x:1')).toBeNull();
    expect(parseTokenKey('github|u:1|b:2')).toBeNull();
    expect(parseTokenKey('github|u:%E0%A4%A')).toBeNull();
  });
});

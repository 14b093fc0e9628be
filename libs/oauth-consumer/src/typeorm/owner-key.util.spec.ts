import { createHash } from 'node:crypto';
import { serializeTokenKey } from '../storage/token-key.util';
import { TokenKey } from '../storage/token-key.interface';
import { ownerKeyOf } from './owner-key.util';

const sha256 = (key: TokenKey) =>
  createHash('sha256').update(serializeTokenKey(key)).digest('hex');

describe('ownerKeyOf', () => {
  it('is the SHA-256 of the serialized key, for users, the userless token and accounts', () => {
    for (const key of [
      { provider: 'github', userId: 'alice' },
      { provider: 'github', userId: null },
      { provider: 'github', userId: 'alice', accountId: '42' },
    ])
      expect(ownerKeyOf(key)).toBe(sha256(key));
    expect(ownerKeyOf({ provider: 'github', userId: 'alice' })).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it('stays right for keys read again after many others (the memo forgets them)', () => {
    const keys = Array.from({ length: 2500 }, (_, i) => ({
      provider: 'p',
      userId: `user-${i}`,
    }));
    for (const key of keys) expect(ownerKeyOf(key)).toBe(sha256(key));
    for (const key of keys.slice(0, 10).concat(keys.slice(-10)))
      expect(ownerKeyOf(key)).toBe(sha256(key));
    expect(new Set(keys.map(ownerKeyOf)).size).toBe(keys.length);
  });
});

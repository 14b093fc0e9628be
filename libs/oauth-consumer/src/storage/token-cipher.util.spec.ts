import { createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from './oauth-token.interface';
import {
  SEALED_TOKEN_FIELD,
  TokenCipher,
  deriveKeyId,
  isSealedToken,
} from './token-cipher.util';
import { TokenKey } from './token-key.interface';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64url');
const alice: TokenKey = { provider: 'github', userId: 'alice' };
const token: OAuthToken = {
  access_token: 'at-secret',
  refresh_token: 'rt-secret',
  id_token: 'id-secret',
  expires_at: 2_000_000_000,
  extra: { nested: ['x-secret'] },
};

describe('TokenCipher', () => {
  it('seals every field into an OAuthToken-shaped envelope that names its key', () => {
    const cipher = new TokenCipher([k1]);
    const envelope = cipher.seal(alice, token);
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'access_token',
        SEALED_TOKEN_FIELD,
        ...('expires_at' in token ? ['expires_at'] : []),
      ].sort(),
    );
    expect(envelope.expires_at).toBe(token.expires_at);
    expect(envelope.access_token).toBe('');
    expect(isSealedToken(envelope)).toBe(true);
    const sealed = envelope[SEALED_TOKEN_FIELD] as string;
    expect(sealed).toMatch(/^v1\.k[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+$/);
    expect(sealed.split('.')[1]).toBe(deriveKeyId(Buffer.from(k1, 'base64')));
    expect(JSON.stringify(envelope)).not.toMatch(/secret/);
    expect(cipher.open(alice, envelope)).toEqual({
      kind: 'sealed',
      token,
      keyId: cipher.currentKeyId,
      current: true,
    });
  });

  it('is standard AES-256-GCM: the documented envelope opens with node:crypto alone', () => {
    const cipher = new TokenCipher([{ id: 'main', key: k1 }]);
    const sealed = cipher.seal(alice, token)[SEALED_TOKEN_FIELD] as string;
    const data = Buffer.from(sealed.split('.')[2], 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(k1, 'base64'),
      data.subarray(0, 12),
    );
    decipher.setAAD(Buffer.from('v1.main.github|u:alice'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([
      decipher.update(data.subarray(12, data.length - 16)),
      decipher.final(),
    ]);
    expect(JSON.parse(plain.toString('utf8'))).toEqual(token);
  });

  it('uses a fresh IV for every seal', () => {
    const cipher = new TokenCipher([k1]);
    const ivs = new Set(
      Array.from({ length: 50 }, () => {
        const sealed = cipher.seal(alice, token)[SEALED_TOKEN_FIELD] as string;
        return Buffer.from(sealed.split('.')[2], 'base64url')
          .subarray(0, 12)
          .toString('hex');
      }),
    );
    expect(ivs.size).toBe(50);
  });

  it('binds the envelope to its owner: another user, provider or account cannot open it', () => {
    const cipher = new TokenCipher([k1]);
    const envelope = cipher.seal(alice, token);
    for (const other of [
      { provider: 'github', userId: 'bob' },
      { provider: 'gitlab', userId: 'alice' },
      { provider: 'github', userId: null },
      { provider: 'github', userId: 'alice', accountId: 'work' },
    ]) {
      expect(cipher.open(other, envelope)).toMatchObject({
        kind: 'unreadable',
        reason: 'tampered',
      });
    }
  });

  it('opens with every key of the ring, seals with the first', () => {
    const old = new TokenCipher([k1]);
    const rotated = new TokenCipher([k2, k1]);
    const oldEnvelope = old.seal(alice, token);
    expect(rotated.open(alice, oldEnvelope)).toMatchObject({
      kind: 'sealed',
      current: false,
      token,
    });
    expect(rotated.open(alice, rotated.seal(alice, token))).toMatchObject({
      kind: 'sealed',
      current: true,
    });
    expect(new TokenCipher([k2]).open(alice, oldEnvelope)).toMatchObject({
      kind: 'unreadable',
      reason: 'unknown-key',
      keyId: old.currentKeyId,
    });
  });

  it('passes plaintext tokens through and reports malformed or foreign envelopes', () => {
    const cipher = new TokenCipher([k1]);
    expect(cipher.open(alice, token)).toEqual({ kind: 'plaintext', token });
    const sealed = cipher.seal(alice, token)[SEALED_TOKEN_FIELD] as string;
    const [, kid, data] = sealed.split('.');
    const cases: Array<[unknown, string]> = [
      [42, 'malformed'],
      ['v1.only-two', 'malformed'],
      [`v2.${kid}.${data}`, 'unsupported-version'],
      [`v1.${kid}.AAAA`, 'malformed'],
      [`v1.bad!kid.${data}`, 'malformed'],
    ];
    for (const [value, reason] of cases) {
      expect(
        cipher.open(alice, { access_token: '', [SEALED_TOKEN_FIELD]: value }),
      ).toMatchObject({ kind: 'unreadable', reason });
    }
  });

  it('refuses bad keys at construction, naming the fix and never the key', () => {
    const bad: unknown[] = [
      [],
      undefined,
      [undefined],
      ['correct horse battery staple'],
      ['00'.repeat(32)],
      [{ id: 'has.dot', key: k1 }],
      [{ id: 'short', key: randomBytes(16) }],
      [k1, k1],
      [
        { id: 'a', key: k1 },
        { id: 'a', key: k2 },
      ],
    ];
    for (const keys of bad) {
      let error: unknown;
      try {
        new TokenCipher(keys as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidOptionsError);
      const message = (error as Error).message;
      expect(message).toMatch(/encryption\.keys/);
      expect(message).not.toContain(k1);
      expect(message).not.toContain('correct horse');
    }
  });
});

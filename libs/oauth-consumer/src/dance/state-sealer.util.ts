import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';

/**
 * Seals small JSON values for cookies with AES-256-GCM (encrypted and authenticated), so a
 * browser can carry the dance's state and PKCE verifier without reading or forging them.
 */
export class StateSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256')
      .update(`nest-dance state cookie\0${secret}`)
      .digest();
  }

  /** Seals `value`; `aad` binds the result to its use (e.g. the cookie name). */
  seal(value: unknown, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed value, or `null` when it was tampered with, sealed for another use, or garbage. */
  open<T>(sealed: string, aad: string): T | null {
    try {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) return null;
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.key,
        raw.subarray(0, 12),
      );
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([
        decipher.update(raw.subarray(28)),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }
}

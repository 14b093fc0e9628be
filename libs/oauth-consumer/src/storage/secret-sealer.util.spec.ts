import { randomBytes } from 'node:crypto';
import { SecretSealer } from './secret-sealer.util';

describe('SecretSealer', () => {
  const older = randomBytes(32).toString('base64');
  const current = randomBytes(32).toString('base64');

  it('seals a secret that opens only for its purpose, never showing it', () => {
    const sealer = new SecretSealer([current]);
    const sealed = sealer.seal('tenant:acme:clientSecret', 's3cret-value');
    expect(sealed).toMatch(/^v1\.k[\w-]{8}\.[\w-]+$/);
    expect(sealed).not.toContain('s3cret');
    expect(sealer.open('tenant:acme:clientSecret', sealed)).toBe(
      's3cret-value',
    );
    expect(() => sealer.open('tenant:other:clientSecret', sealed)).toThrow(
      /does not open \(tampered/,
    );
  });

  it('opens values sealed with an older key of the ring, and says they are stale', () => {
    const sealed = new SecretSealer([older]).seal('p', 'x');
    const ring = new SecretSealer([current, older]);
    expect(ring.open('p', sealed)).toBe('x');
    expect(ring.isStale(sealed)).toBe(true);
    expect(ring.isStale(ring.seal('p', 'x'))).toBe(false);
    expect(() => new SecretSealer([current]).open('p', sealed)).toThrow(
      /unknown-key/,
    );
  });
});

import { StateSealer } from './state-sealer.util';

describe('StateSealer', () => {
  const sealer = new StateSealer('a'.repeat(32));

  it('opens what it sealed for the same use', () => {
    const sealed = sealer.seal({ state: 's', verifier: 'v' }, 'cookie-a');
    expect(sealer.open(sealed, 'cookie-a')).toEqual({
      state: 's',
      verifier: 'v',
    });
  });

  it('hides the sealed content', () => {
    const sealed = sealer.seal(
      { verifier: 'very-secret-verifier' },
      'cookie-a',
    );
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(
      'very-secret',
    );
  });

  it('refuses another use, another secret, a flipped byte and garbage', () => {
    const sealed = sealer.seal({ state: 's' }, 'cookie-a');
    expect(sealer.open(sealed, 'cookie-b')).toBeNull();
    expect(new StateSealer('b'.repeat(32)).open(sealed, 'cookie-a')).toBeNull();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(sealer.open(raw.toString('base64url'), 'cookie-a')).toBeNull();
    expect(sealer.open('not-a-sealed-value', 'cookie-a')).toBeNull();
  });
});

import { withExpiresAt } from './token-expiry.util';

describe('withExpiresAt', () => {
  const now = 1_700_000_000_000;

  it('computes expires_at from expires_in, in epoch seconds', () => {
    expect(
      withExpiresAt({ access_token: 'a', expires_in: 300 }, now).expires_at,
    ).toBe(1_700_000_300);
  });

  it('accepts a numeric string expires_in', () => {
    expect(
      withExpiresAt(
        { access_token: 'a', expires_in: '60' as unknown as number },
        now,
      ).expires_at,
    ).toBe(1_700_000_060);
  });

  it('keeps an explicit expires_at when there is no expires_in, and does not mutate its input', () => {
    const token = { access_token: 'a', expires_at: 123 };
    expect(withExpiresAt(token, now)).toEqual({
      access_token: 'a',
      expires_at: 123,
    });
    const other = { access_token: 'a', expires_in: 5 };
    withExpiresAt(other, now);
    expect(other).toEqual({ access_token: 'a', expires_in: 5 });
  });
});

import { copyToken } from './token-copy.util';

describe('copyToken', () => {
  it('copies plain JSON tokens deeply, as structuredClone does', () => {
    const token = {
      access_token: 'a',
      expires_at: 1.5,
      nested: { list: [1, 'two', null, { deep: true }], empty: {} },
      missing: undefined,
    };
    const copy = copyToken(token);
    expect(copy).toEqual(structuredClone(token));
    expect(Object.keys(copy)).toEqual(Object.keys(token));
    expect(copy).not.toBe(token);
    expect(copy.nested).not.toBe(token.nested);
    expect(copy.nested.list[3]).not.toBe(token.nested.list[3]);
  });

  it('keeps an own __proto__ key as data, never as the prototype', () => {
    const token = JSON.parse(
      '{"access_token":"a","__proto__":{"polluted":true}}',
    );
    const copy = copyToken(token);
    // (Not `toBe(Object.prototype)`: under Jest, structuredClone's objects come from another realm.)
    expect(Object.getPrototypeOf(copy).polluted).toBeUndefined();
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['access_token', '__proto__']);
  });

  it('hands anything but plain JSON to structuredClone (dates, buffers, cycles, holes)', () => {
    const date = new Date(0);
    expect(copyToken({ at: date }).at).toEqual(date);
    expect(copyToken({ at: date }).at).not.toBe(date);
    const cyclic: Record<string, unknown> = { access_token: 'a' };
    cyclic.self = cyclic;
    const copy = copyToken(cyclic);
    expect(copy.self).toBe(copy);
    // eslint-disable-next-line no-sparse-arrays
    const holes = copyToken({ list: [1, , 3] });
    expect(1 in holes.list).toBe(false);
  });

  it('refuses functions like structuredClone', () => {
    expect(() => copyToken({ access_token: 'a', f: () => 1 })).toThrow();
  });
});

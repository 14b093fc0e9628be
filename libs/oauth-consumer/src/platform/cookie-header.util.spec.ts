import {
  cookieFromHeaders,
  preferredType,
  serializeCookie,
  serializeCookieRemoval,
} from './cookie-header.util';

const options = {
  path: '/login/github',
  secure: true,
  sameSite: 'lax' as const,
  maxAgeMs: 600_000,
};

describe('cookie header utilities (both platforms write the same Set-Cookie)', () => {
  it('reads one cookie out of a Cookie header, decoded', () => {
    const headers = { cookie: 'a=1; nest-dance.state.x=se%2Fal; b=2' };
    expect(cookieFromHeaders(headers, 'nest-dance.state.x')).toBe('se/al');
    expect(cookieFromHeaders(headers, 'missing')).toBeUndefined();
    expect(cookieFromHeaders({ cookie: 'x=%E0%A4%A' }, 'x')).toBeUndefined();
  });

  it('writes HttpOnly, Secure, SameSite, Path and a lifetime', () => {
    const value = serializeCookie('state', 'a b', options);
    expect(value).toMatch(
      /^state=a%20b; Path=\/login\/github; Max-Age=600; Expires=[^;]+ GMT; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(
      serializeCookie('s', 'v', {
        ...options,
        secure: false,
        maxAgeMs: undefined,
      }),
    ).toBe('s=v; Path=/login/github; HttpOnly; SameSite=Lax');
  });

  it('removes a cookie with the same path and an expiry in the past', () => {
    expect(serializeCookieRemoval('state', options)).toBe(
      'state=; Path=/login/github; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('refuses names and paths that would inject attributes', () => {
    expect(() => serializeCookie('a;b', 'v', options)).toThrow(/cookie name/);
    expect(() =>
      serializeCookie('a', 'v', { ...options, path: '/x; Domain=evil' }),
    ).toThrow(/cookie path/);
  });

  it.each([
    [undefined, 'html'],
    ['*/*', 'html'],
    ['application/json', 'json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'html'],
    ['application/json, text/plain, */*', 'json'],
    ['*/*, application/json', 'json'],
    ['text/html;q=0.5, application/json;q=0.9', 'json'],
    ['image/png', false],
    ['text/html;q=0', false],
  ])('Accept %s prefers %s (as Express req.accepts)', (accept, expected) => {
    expect(preferredType(accept, ['html', 'json'])).toBe(expected);
  });
});

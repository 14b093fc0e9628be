import { locationHeaderValue } from './location-header.util';

describe('locationHeaderValue', () => {
  it('returns a URL that needs no encoding as it is', () => {
    const url =
      'https://provider.example/authorize?response_type=code&state=abc_-~.&redirect_uri=https%3A%2F%2Fapp%2Fcb';
    expect(locationHeaderValue(url)).toBe(url);
    expect(locationHeaderValue('/dashboard?tab=1#top')).toBe(
      '/dashboard?tab=1#top',
    );
  });

  it('percent-encodes what a header or URL cannot carry, as UTF-8', () => {
    expect(locationHeaderValue('/caf\u00e9 menu')).toBe('/caf%C3%A9%20menu');
    expect(locationHeaderValue('/\u{1f600}')).toBe('/%F0%9F%98%80');
    expect(locationHeaderValue('/a"b<c>d`e{f}g')).toBe(
      '/a%22b%3Cc%3Ed%60e%7Bf%7Dg',
    );
  });

  it('keeps escapes and encodes a stray percent sign', () => {
    expect(locationHeaderValue('/a%20b')).toBe('/a%20b');
    expect(locationHeaderValue('/100%')).toBe('/100%25');
    expect(locationHeaderValue('/%zz')).toBe('/%25zz');
  });

  it('never lets a line break through (no header injection)', () => {
    const value = locationHeaderValue('/x\r\nSet-Cookie: a=b');
    expect(value).toBe('/x%0D%0ASet-Cookie:%20a=b');
    expect(value).not.toMatch(/[\r\n]/);
  });

  it('replaces a lone surrogate instead of throwing', () => {
    expect(locationHeaderValue('/a\ud800b')).toBe('/a%EF%BF%BDb');
  });
});

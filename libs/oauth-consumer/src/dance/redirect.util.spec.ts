import { safeRedirectPath } from './redirect.util';

describe('safeRedirectPath', () => {
  it.each([
    ['/', '/'],
    ['/dashboard', '/dashboard'],
    ['/a/b?x=1&y=2#top', '/a/b?x=1&y=2#top'],
    ['/caf%C3%A9', '/caf%C3%A9'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example',
    'http:evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,hi',
    'evil.example',
    '/%2F/evil.example',
    '/%2f%2fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%255Cevil.example',
    '/%252F%252Fevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/ /evil.example',
    '/%09/evil.example',
    '/%E0%A4%A',
    '',
    'x'.repeat(3000),
  ])('refuses %j', (input) => {
    expect(safeRedirectPath(input)).toBeNull();
  });

  it('refuses anything that is not a string', () => {
    expect(safeRedirectPath(undefined)).toBeNull();
    expect(safeRedirectPath(['/a', '/b'])).toBeNull();
    expect(safeRedirectPath({ toString: () => '/a' })).toBeNull();
  });
});

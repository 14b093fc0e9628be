const ORIGIN = 'http://nest-dance.invalid';
const MAX_REDIRECT_LENGTH = 2048;

/**
 * `value` as a same-origin relative path safe to redirect to, or `null`. Refuses absolute
 * URLs, protocol-relative `//host`, `/\host`, backslashes, control characters,
 * `javascript:` and their percent-encoded variants (RFC 9700 §4.11: no open redirector).
 * @publicApi
 */
export function safeRedirectPath(value: unknown): string | null {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_REDIRECT_LENGTH
  ) {
    return null;
  }
  let decoded = value;
  for (let round = 0; round < 3; round++) {
    if (!isSafeLiteralPath(decoded)) return null;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return null;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (!isSafeLiteralPath(decoded)) return null;
  const url = new URL(value, ORIGIN);
  if (url.origin !== ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments are resolved away: '/..//evil.example' becomes protocol-relative '//evil.example'.
  return isSafeLiteralPath(path) ? path : null;
}

function isSafeLiteralPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path.startsWith('//')) return false;
  if (path.includes('\\')) return false;
  // Control characters and whitespace let browsers rewrite the URL (e.g. "/\t/evil").
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0020\u007f]/.test(path);
}

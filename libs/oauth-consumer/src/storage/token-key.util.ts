import { TokenKey } from './token-key.interface';

/**
 * A stable string for a token key, safe to use as a map key, a cache key or a file name part:
 * every part is URI-encoded, so `|` inside a provider or user id cannot forge another key.
 * @publicApi
 */
export function serializeTokenKey(key: TokenKey): string {
  const user = key.userId === null ? '-' : `u:${encodedPart(key.userId)}`;
  const account =
    key.accountId === undefined ? '' : `|a:${encodedPart(key.accountId)}`;
  return `${encodedPart(key.provider)}|${user}${account}`;
}

/** What `encodeURIComponent` leaves as it is (RFC 3986 unreserved, and `!*'()`). */
const LEFT_AS_IS = /^[A-Za-z0-9\-_.!~*'()]*$/;

/**
 * `encodeURIComponent(part)`, without the call for the usual part that needs no escaping
 * (every token read builds a key: the call allocates a new string each time).
 */
function encodedPart(part: string): string {
  return LEFT_AS_IS.test(part) ? part : encodeURIComponent(part);
}

/**
 * The key back from `serializeTokenKey(key)`, or `null` when `text` is not one.
 * @publicApi
 */
export function parseTokenKey(text: string): TokenKey | null {
  const parts = text.split('|');
  if (parts.length < 2 || parts.length > 3) return null;
  try {
    const key: TokenKey = {
      provider: decodeURIComponent(parts[0]),
      userId: null,
    };
    if (parts[1].startsWith('u:'))
      key.userId = decodeURIComponent(parts[1].slice(2));
    else if (parts[1] !== '-') return null;
    if (parts.length === 3) {
      if (!parts[2].startsWith('a:')) return null;
      key.accountId = decodeURIComponent(parts[2].slice(2));
    }
    return key;
  } catch {
    return null;
  }
}

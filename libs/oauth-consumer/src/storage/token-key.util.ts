import { TokenKey } from './token-key.interface';

/**
 * A stable string for a token key, safe to use as a map key, a cache key or a file name part:
 * every part is URI-encoded, so `|` inside a provider or user id cannot forge another key.
 * @publicApi
 */
export function serializeTokenKey(key: TokenKey): string {
  const user =
    key.userId === null ? '-' : `u:${encodeURIComponent(key.userId)}`;
  const account =
    key.accountId === undefined
      ? ''
      : `|a:${encodeURIComponent(key.accountId)}`;
  return `${encodeURIComponent(key.provider)}|${user}${account}`;
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

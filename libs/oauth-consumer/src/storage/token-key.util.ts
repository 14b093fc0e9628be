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

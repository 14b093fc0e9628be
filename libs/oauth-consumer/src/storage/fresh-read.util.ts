import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import { TokenStorage } from './token-storage.interface';

/**
 * A storage that can read past any cache in front of its source of truth. The wrappers
 * (cache, encryption) implement it; plain storages need not.
 * @publicApi
 */
export interface FreshReadable {
  /** The token as the source of truth holds it now, never a cached copy. */
  getFresh(
    key: TokenKey,
    options?: FreshReadOptions,
  ): Promise<OAuthToken | null>;
}

/**
 * How a fresh read treats the caches it reads past.
 * @publicApi
 */
export interface FreshReadOptions {
  /**
   * Leave cached copies where they are (default: drop them). For a caller about to write the
   * key, whose write drops them anyway: one cache round trip less.
   */
  keepCache?: boolean;
}

/**
 * Reads `key` from the source of truth: used after winning a refresh lock, where a stale
 * cached copy would replay a refresh token another process already rotated.
 * @publicApi
 */
export function readFresh(
  storage: TokenStorage,
  key: TokenKey,
  options?: FreshReadOptions,
): Promise<OAuthToken | null> {
  const fresh = (storage as Partial<FreshReadable>).getFresh;
  return typeof fresh === 'function'
    ? fresh.call(storage, key, options)
    : storage.get(key);
}

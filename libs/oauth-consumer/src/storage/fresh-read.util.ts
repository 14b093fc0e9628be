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
  getFresh(key: TokenKey): Promise<OAuthToken | null>;
}

/**
 * Reads `key` from the source of truth: used after winning a refresh lock, where a stale
 * cached copy would replay a refresh token another process already rotated.
 * @publicApi
 */
export function readFresh(
  storage: TokenStorage,
  key: TokenKey,
): Promise<OAuthToken | null> {
  const fresh = (storage as Partial<FreshReadable>).getFresh;
  return typeof fresh === 'function'
    ? fresh.call(storage, key)
    : storage.get(key);
}

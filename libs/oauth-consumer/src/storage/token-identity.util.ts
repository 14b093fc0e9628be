import { TokenKey } from './token-key.interface';
import { serializeTokenKey } from './token-key.util';
import { TokenStorage } from './token-storage.interface';

/**
 * The identity of the token `storage` holds under `key` for the current request: its own
 * `identityOf(key)` when it has one (per-session storages), else `serializeTokenKey(key)`.
 * Refreshes (single flight, lock, backoff) and writes that must not cross a refresh are
 * serialised per identity.
 * @publicApi
 */
export function tokenIdentityOf(storage: TokenStorage, key: TokenKey): string {
  return typeof storage.identityOf === 'function'
    ? storage.identityOf(key)
    : serializeTokenKey(key);
}

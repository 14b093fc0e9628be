import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import { serializeTokenKey } from './token-key.util';
import { TokenStorage } from './token-storage.interface';
import { copyToken } from './token-copy.util';

/**
 * A convenient base for custom storages: implement `get`, `set` and `delete`, and use
 * `keyToString` for a collision-free string form of the key and `copy` to hand out tokens
 * that callers may mutate without touching the stored one.
 * @publicApi
 */
export abstract class BaseTokenStorage extends TokenStorage {
  /** A collision-free string for `key` (provider, user and account, each encoded). */
  protected keyToString(key: TokenKey): string {
    return serializeTokenKey(key);
  }

  /** A deep copy of a token, so stored and returned objects never alias. */
  protected copy(token: OAuthToken): OAuthToken {
    return copyToken(token);
  }
}

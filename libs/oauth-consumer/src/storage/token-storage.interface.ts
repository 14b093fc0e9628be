import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from './token-list.interface';

/**
 * Keyed persistence for OAuth tokens. Implement it (or extend `BaseTokenStorage`) to store
 * tokens anywhere; bind it with `OAuthConsumerModule.forRoot({ storage: MyStorage })`.
 * The abstract class doubles as an injection token, so `constructor(storage: TokenStorage)` works.
 * @publicApi
 */
export abstract class TokenStorage {
  /** The token stored under `key`, or `null` when there is none. */
  abstract get(key: TokenKey): Promise<OAuthToken | null>;
  /** Stores `token` under `key`, replacing any token stored there. */
  abstract set(key: TokenKey, token: OAuthToken): Promise<void>;
  /** Removes the token under `key`; removing a missing token is not an error. */
  abstract delete(key: TokenKey): Promise<void>;
  /**
   * Optional: a string that tells the token stored under `key` *for the current request* apart
   * from every other token this storage holds, for every visitor (default:
   * `serializeTokenKey(key)`). Refreshes are merged, locked and backed off per identity, so a
   * storage whose tokens live per session (the same key in every browser's session) must name
   * the session here, as `SessionTokenStorage` does; it may end up in a Redis key or a lock row,
   * so never put a secret (a session id) in it as it is: hash it.
   */
  identityOf?(key: TokenKey): string;
  /**
   * Optional: `true` when every browser session holds its own tokens (`SessionTokenStorage`):
   * a token without a user then belongs to one visitor, so no user is required by default.
   * Any other storage holds one userless token for everybody, and requires a user unless the
   * app sets `userRequired: false`.
   */
  readonly perSession?: boolean;
  /**
   * Optional: every token of `query.userId` (of `query.provider` only, when given), with its
   * key. `OAuthConnections` needs it; every shipped storage has it.
   */
  list?(query: TokenListQuery): Promise<StoredToken[]>;
  /**
   * Optional: tokens of every owner whose `expires_at` is before `query.before`, soonest first,
   * at most `query.limit`. The background refresh (`TokenRefresher.refreshDue`) needs it.
   */
  listExpiring?(query: ExpiringTokenQuery): Promise<StoredToken[]>;
}

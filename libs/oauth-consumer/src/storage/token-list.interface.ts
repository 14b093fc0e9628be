import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';

/**
 * What `TokenStorage.list()` returns: one owner's tokens, optionally of one provider only.
 * @publicApi
 */
export interface TokenListQuery {
  /** Whose tokens (null: the userless tokens). */
  userId: string | null;
  /** Only this provider's tokens (default: every provider's). */
  provider?: string;
}

/**
 * One stored token and the key it is stored under, as `TokenStorage.list()` returns it.
 * @publicApi
 */
export interface StoredToken {
  key: TokenKey;
  token: OAuthToken;
}

/**
 * What `TokenStorage.listExpiring()` returns: tokens of every owner whose `expires_at` is
 * before `before`, soonest first, at most `limit` of them.
 * @publicApi
 */
export interface ExpiringTokenQuery {
  /** Epoch seconds: tokens expiring before this instant. */
  before: number;
  /** The most tokens to return. */
  limit: number;
  /** Epoch seconds: only tokens expiring at or after this instant (for paging; default none). */
  after?: number;
}

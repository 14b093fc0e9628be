import { TokenListingUnsupportedError } from '../errors/token-listing-unsupported.error';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from './token-list.interface';
import { TokenStorage } from './token-storage.interface';

/**
 * `storage.list(query)`, or `TokenListingUnsupportedError` naming the method when the storage
 * (a custom one) does not implement it.
 * @publicApi
 */
export function listTokens(
  storage: TokenStorage,
  query: TokenListQuery,
): Promise<StoredToken[]> {
  if (typeof storage.list !== 'function')
    return Promise.reject(
      new TokenListingUnsupportedError(storage.constructor.name, 'list'),
    );
  return storage.list(query);
}

/**
 * `storage.listExpiring(query)`, or `TokenListingUnsupportedError` naming the method when the
 * storage does not implement it.
 * @publicApi
 */
export function listExpiringTokens(
  storage: TokenStorage,
  query: ExpiringTokenQuery,
): Promise<StoredToken[]> {
  if (typeof storage.listExpiring !== 'function')
    return Promise.reject(
      new TokenListingUnsupportedError(
        storage.constructor.name,
        'listExpiring',
      ),
    );
  return storage.listExpiring(query);
}

/** Whether `key` matches `query` (for storages that filter in memory). */
export function matchesListQuery(
  key: { provider: string; userId: string | null },
  query: TokenListQuery,
): boolean {
  return (
    key.userId === query.userId &&
    (query.provider === undefined || key.provider === query.provider)
  );
}

/** Entries expiring before `query.before`, soonest first, at most `query.limit` (in memory). */
export function selectExpiring(
  entries: Iterable<StoredToken>,
  query: ExpiringTokenQuery,
): StoredToken[] {
  const due: StoredToken[] = [];
  for (const entry of entries) {
    const expiresAt = entry.token.expires_at;
    if (
      typeof expiresAt === 'number' &&
      expiresAt < query.before &&
      (query.after === undefined || expiresAt >= query.after)
    )
      due.push(entry);
  }
  due.sort(
    (a, b) => (a.token.expires_at as number) - (b.token.expires_at as number),
  );
  return due.slice(0, Math.max(0, query.limit));
}

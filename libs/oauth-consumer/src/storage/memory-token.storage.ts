import { Injectable } from '@nestjs/common';
import { BaseTokenStorage } from './base-token.storage';
import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from './token-list.interface';
import { matchesListQuery, selectExpiring } from './token-list.util';

/**
 * Keeps tokens in this process's memory, one per provider, user and account.
 * For tests and single-process tools: tokens are gone when the process ends.
 * @publicApi
 */
@Injectable()
export class MemoryTokenStorage extends BaseTokenStorage {
  private readonly tokens = new Map<string, StoredToken>();

  /** The token stored under `key`, as a copy the caller may mutate. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const entry = this.tokens.get(this.keyToString(key));
    return entry ? this.copy(entry.token) : null;
  }

  /** Stores a copy of `token` under `key`. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    this.tokens.set(this.keyToString(key), {
      key: copyKey(key),
      token: this.copy(token),
    });
  }

  /** Removes the token under `key`, if any. */
  async delete(key: TokenKey): Promise<void> {
    this.tokens.delete(this.keyToString(key));
  }

  /** Every token of `query.userId` (of `query.provider`, when given), as copies. */
  override async list(query: TokenListQuery): Promise<StoredToken[]> {
    const found: StoredToken[] = [];
    for (const entry of this.tokens.values())
      if (matchesListQuery(entry.key, query)) found.push(this.copyEntry(entry));
    return found;
  }

  /** Tokens of every owner expiring before `query.before`, soonest first, as copies. */
  override async listExpiring(
    query: ExpiringTokenQuery,
  ): Promise<StoredToken[]> {
    return selectExpiring(this.tokens.values(), query).map((entry) =>
      this.copyEntry(entry),
    );
  }

  private copyEntry(entry: StoredToken): StoredToken {
    return { key: copyKey(entry.key), token: this.copy(entry.token) };
  }

  /** How many tokens are stored: handy in tests. */
  get size(): number {
    return this.tokens.size;
  }

  /** Forgets every token: handy between tests. */
  clear(): void {
    this.tokens.clear();
  }
}

function copyKey(key: TokenKey): TokenKey {
  const copy: TokenKey = { provider: key.provider, userId: key.userId };
  if (key.accountId !== undefined) copy.accountId = key.accountId;
  return copy;
}

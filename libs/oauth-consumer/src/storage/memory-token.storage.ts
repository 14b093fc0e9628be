import { Injectable } from '@nestjs/common';
import { BaseTokenStorage } from './base-token.storage';
import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';

/**
 * Keeps tokens in this process's memory, one per provider, user and account.
 * For tests and single-process tools: tokens are gone when the process ends.
 * @publicApi
 */
@Injectable()
export class MemoryTokenStorage extends BaseTokenStorage {
  private readonly tokens = new Map<string, OAuthToken>();

  /** The token stored under `key`, as a copy the caller may mutate. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const token = this.tokens.get(this.keyToString(key));
    return token ? this.copy(token) : null;
  }

  /** Stores a copy of `token` under `key`. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    this.tokens.set(this.keyToString(key), this.copy(token));
  }

  /** Removes the token under `key`, if any. */
  async delete(key: TokenKey): Promise<void> {
    this.tokens.delete(this.keyToString(key));
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

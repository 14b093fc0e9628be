import { Injectable } from '@nestjs/common';
import { OAuthToken } from './oauth-token.interface';
import { StoredToken } from './token-list.interface';
import { TokenStorage } from './token-storage.interface';

/**
 * Never has a token and stores nothing: for blueprints used only to sign users in,
 * where the app has no use for the provider's token after the dance.
 * @publicApi
 */
@Injectable()
export class NullTokenStorage extends TokenStorage {
  /** Always `null`. */
  async get(): Promise<OAuthToken | null> {
    return null;
  }

  /** Discards the token on purpose. */
  async set(): Promise<void> {}

  /** Nothing to delete. */
  async delete(): Promise<void> {}

  /** Always empty. */
  override async list(): Promise<StoredToken[]> {
    return [];
  }

  /** Always empty. */
  override async listExpiring(): Promise<StoredToken[]> {
    return [];
  }
}

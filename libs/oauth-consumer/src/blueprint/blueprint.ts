import { OAuthUserContext, TokenOwner } from '../context/oauth-user.context';
import { TokenOperation } from '../errors/user-required.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import { TokenKey } from '../storage/token-key.interface';
import { withExpiresAt } from '../storage/token-expiry.util';
import { TokenStorage } from '../storage/token-storage.interface';
import { BlueprintOptions } from './blueprint-options.interface';

/**
 * One provider's handle: reads, writes and deletes the current user's token (or an explicit
 * owner's) through the bound storage. Inject it with `@InjectBlueprint(name)`.
 * @publicApi
 */
export class Blueprint {
  constructor(
    /** The blueprint's options, as registered. */
    readonly options: Readonly<BlueprintOptions>,
    /** The storage this blueprint's tokens go through (with cache and encryption when configured). */
    readonly storage: TokenStorage,
    private readonly context: OAuthUserContext,
  ) {}

  /** The blueprint's name: its route segment and the `provider` of its tokens. */
  get name(): string {
    return this.options.name;
  }

  /** The current user's token (or `owner`'s), or `null` when there is none. */
  async getToken(owner?: TokenOwner): Promise<OAuthToken | null> {
    return this.storage.get(this.tokenKey('get', owner));
  }

  /** Stores `token` for the current user (or `owner`), computing `expires_at` from `expires_in`. */
  async setToken(token: OAuthToken, owner?: TokenOwner): Promise<void> {
    await this.storage.set(this.tokenKey('set', owner), withExpiresAt(token));
  }

  /** Deletes the current user's token (or `owner`'s); deleting a missing token is fine. */
  async deleteToken(owner?: TokenOwner): Promise<void> {
    await this.storage.delete(this.tokenKey('delete', owner));
  }

  /** Whether the current user (or `owner`) has a token for this provider. */
  async isAuthorized(owner?: TokenOwner): Promise<boolean> {
    return (await this.getToken(owner)) !== null;
  }

  /** The storage key of the current user's (or `owner`'s) token; throws when a user is required. */
  tokenKey(operation: TokenOperation, owner?: TokenOwner): TokenKey {
    return {
      provider: this.name,
      userId: this.context.ownerIdFor(operation, this.name, owner),
    };
  }
}

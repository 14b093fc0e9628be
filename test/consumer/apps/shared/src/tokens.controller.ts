import { Controller, Get, Inject } from '@nestjs/common';
import {
  Blueprint,
  InjectBlueprint,
  OAuthToken,
  OAuthUserContext,
  TokenStorage,
} from 'nest-dance';

/** Reads the signed-in user's token back, once through each public API. */
@Controller()
export class TokensController {
  constructor(
    @InjectBlueprint('local') private readonly local: Blueprint,
    @Inject(TokenStorage) private readonly storage: TokenStorage,
    @Inject(OAuthUserContext) private readonly users: OAuthUserContext,
  ) {}

  /** Through the injected TokenStorage, keyed by provider and user id. */
  @Get('tokens/storage')
  async fromStorage(): Promise<{ token: OAuthToken | null }> {
    const userId = this.users.getUserId() ?? 'nobody';
    return { token: await this.storage.get({ provider: 'local', userId }) };
  }

  /** Through the blueprint injected with @InjectBlueprint. */
  @Get('tokens/blueprint')
  async fromBlueprint(): Promise<{ token: OAuthToken | null }> {
    return { token: await this.local.getToken() };
  }

  /** A signed API call with the token: the provider's userinfo. */
  @Get('profile')
  profile(): Promise<unknown> {
    return this.local.fetchJson('/me');
  }

  /** Where the dance returns to. */
  @Get('done')
  done(): { done: true } {
    return { done: true };
  }
}

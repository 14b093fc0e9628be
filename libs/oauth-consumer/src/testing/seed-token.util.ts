import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { SessionUnavailableError } from '../errors/session-unavailable.error';
import { OAuthToken } from '../storage/oauth-token.interface';

/**
 * What `seedToken` stores: any token fields; `access_token` is made up when omitted, and
 * `token_type: 'Bearer'` and `expires_in: 3600` are added unless given (or `expires_at` is).
 * @publicApi
 */
export type SeedTokenInput = Partial<OAuthToken>;

/**
 * Stores a token for `userId` (`null`: the userless token) at `provider`, as if that user had
 * completed the dance, through the blueprint's storage (cache and encryption included), and
 * returns it as stored, with `expires_at`. For tests of code that reads tokens; works with every
 * storage but `SessionTokenStorage`, whose tokens live in one browser's session.
 * @publicApi
 * @example await seedToken(app, 'github', 'alice', { scope: 'read:user' })
 */
export async function seedToken(
  app: Pick<INestApplicationContext, 'get'>,
  provider: string,
  userId: string | number | null,
  token: SeedTokenInput = {},
): Promise<OAuthToken> {
  const blueprint = app.get(BlueprintRegistry).get(provider, 'seedToken()');
  const full: OAuthToken = {
    access_token: `seeded-${randomBytes(16).toString('base64url')}`,
    token_type: 'Bearer',
    ...(token.expires_in === undefined && token.expires_at === undefined
      ? { expires_in: 3600 }
      : {}),
    ...token,
  };
  try {
    await blueprint.setToken(full, { userId });
    const stored = await blueprint.storage.get(
      blueprint.tokenKey('get', { userId }),
    );
    if (!stored) {
      throw new InvalidOptionsError(
        `seedToken(): the '${provider}' storage (${blueprint.storage.constructor.name}) did not keep the token: ` +
          'bind a storage that stores tokens, e.g. MemoryTokenStorage.',
      );
    }
    return stored;
  } catch (error) {
    if (error instanceof SessionUnavailableError) {
      throw new InvalidOptionsError(
        `seedToken(): '${provider}' keeps tokens in SessionTokenStorage, which exists only inside a browser's ` +
          'request: bind MemoryTokenStorage in tests (OAuthConsumerModule.forRoot({ storage: MemoryTokenStorage }) ' +
          'or overrideProvider(TOKEN_STORAGE).useClass(MemoryTokenStorage)), or walk the dance instead.',
      );
    }
    throw error;
  }
}

import type { Request } from 'express';
import { OAuthConsumerModuleOptions, OAuthUserContext } from 'nest-dance';

/** A user context outside Nest, for storage-level tests. */
export function createUserContext(
  options: Partial<OAuthConsumerModuleOptions> = {},
): OAuthUserContext {
  return new OAuthUserContext({ blueprints: [], ...options });
}

/** A request-shaped object carrying a session and an optional signed-in user. */
export function fakeRequestWithSession(user?: { id: string }): Request {
  return { session: {}, user } as unknown as Request;
}

import type { Request } from 'express';
import { OAuthConsumerModuleOptions, OAuthUserContext } from 'nest-dance';

/** A user context outside Nest, for storage-level tests. */
export function createUserContext(
  options: Partial<OAuthConsumerModuleOptions> = {},
): OAuthUserContext {
  return new OAuthUserContext({ blueprints: [], ...options });
}

/**
 * A request-shaped object carrying a server-side session (express-session sets
 * `sessionStore`; without it the session would look cookie-only) and an optional user.
 */
export function fakeRequestWithSession(user?: { id: string }): Request {
  return { session: {}, sessionStore: {}, user } as unknown as Request;
}

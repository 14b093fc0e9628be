import { SessionUnavailableError } from '../errors/session-unavailable.error';
import { PlatformRequest } from './http-edge.interface';
import { edgeOf } from './http-platform.service';

/** Where `signIn` keeps the signed-in user in the session. */
export const SIGNED_IN_USER_KEY = 'nestDanceUser';

/**
 * Options of `signIn`.
 * @publicApi
 */
export interface SignInOptions {
  /**
   * Session values to carry into the renewed session (everything else is dropped with the old
   * one, as express-session's and @fastify/session's `regenerate` do), e.g. a cart.
   */
  keep?: readonly string[];
  /**
   * What to remember in the session for later requests (default: `user` itself). Keep it
   * small and free of secrets: with a cookie session it travels in the cookie.
   */
  remember?: unknown;
}

/**
 * Makes `user` the signed-in user of this browser, on Express and on Fastify: renews the
 * session (a new id against session fixation; cookie sessions are emptied), remembers the user
 * in it for `signedInUser(request)` on later requests, and sets `request.user` now. Call it in
 * the `authorized` hook before returning `{ user }`, or in your own callback route.
 * Needs a session: express-session, cookie-session, `@fastify/session` or `@fastify/secure-session`.
 * @publicApi
 * @example
 * hooks: { async authorized({ request, profile }) {
 *   const user = await users.upsertFromGithub(profile!);
 *   await signIn(request, { id: user.id, name: user.name });
 *   return { user };
 * } }
 */
export async function signIn(
  request: PlatformRequest,
  user: unknown,
  options: SignInOptions = {},
): Promise<void> {
  if (user === null || user === undefined || user === false) {
    throw new TypeError(
      'signIn(request, user) needs the user to sign in; to sign out use signOut(request).',
    );
  }
  const edge = edgeOf(request);
  const session = edge.session(request);
  if (!session) throw new SessionUnavailableError('no-session');
  await session.renew(options.keep);
  edge
    .session(request)!
    .set(
      SIGNED_IN_USER_KEY,
      options.remember === undefined ? user : options.remember,
    );
  edge.setUser(request, user);
}

/**
 * The user `signIn` remembered in this request's session, or `undefined`: use it where the
 * app finds its user, e.g. `OAuthConsumerModule.forRoot({ user: (req) => signedInUser(req) })`
 * or a guard that sets `request.user`.
 * @publicApi
 */
export function signedInUser<T = unknown>(
  request: PlatformRequest,
): T | undefined {
  const edge = edgeOf(request);
  return edge.session(request)?.get<T>(SIGNED_IN_USER_KEY);
}

/**
 * Signs the browser out: renews the session without the user (and without the tokens a
 * `SessionTokenStorage` kept in it) and clears `request.user`.
 * @publicApi
 */
export async function signOut(
  request: PlatformRequest,
  options: Pick<SignInOptions, 'keep'> = {},
): Promise<void> {
  const edge = edgeOf(request);
  const session = edge.session(request);
  if (session) {
    session.delete(SIGNED_IN_USER_KEY);
    await session.renew(
      (options.keep ?? []).filter((key) => key !== SIGNED_IN_USER_KEY),
    );
  }
  edge.setUser(request, undefined);
}

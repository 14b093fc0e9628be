/**
 * The request as the login route hands it to a passport strategy: the same request (session,
 * cookies, response, everything the state store needs) but with an empty query and no body.
 * passport-oauth2 redeems `?code=` and reports `?error=`, passport-oauth1 exchanges
 * `?oauth_token=`, whatever route they run on; the login route only ever starts a dance, and
 * reads its own parameters (`next`, `scope`) from the real request.
 */
export function loginRequestOf<T extends object>(request: T): T {
  const view = Object.create(request) as T;
  Object.defineProperty(view, 'query', {
    value: {},
    enumerable: true,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(view, 'body', {
    value: undefined,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return view;
}

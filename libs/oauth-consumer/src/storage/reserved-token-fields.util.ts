/**
 * The prefix of the fields nest-dance itself keeps in a stored token: `nest_dance_sealed` (an
 * encrypted envelope), `nest_dance_reconnect` (the grant was refused), `nest_dance_connection`
 * (what is known about the connection). A provider never sends them.
 */
export const RESERVED_TOKEN_FIELD_PREFIX = 'nest_dance_';

/** Whether `name` is one of nest-dance's own token fields (any letter case). */
export function isReservedTokenField(name: string): boolean {
  return name.toLowerCase().startsWith(RESERVED_TOKEN_FIELD_PREFIX);
}

/**
 * A copy of a token response without nest-dance's own fields. Every token response parser
 * (authorization code, refresh, OAuth 1.0a, any other grant) runs its result through this
 * before the token is stored: a provider (or whoever answers in its place) that sends
 * `nest_dance_sealed` would otherwise make every later read of the token fail as an
 * undecryptable envelope, and `nest_dance_reconnect` or `nest_dance_connection` would forge
 * the connection's state.
 */
export function withoutReservedTokenFields<T extends object>(response: T): T {
  const names = Object.keys(response);
  if (!names.some(isReservedTokenField)) return response;
  const copy: Record<string, unknown> = {};
  for (const name of names) {
    if (isReservedTokenField(name)) continue;
    // An own property even for odd names ('__proto__'), as the parsed response had it.
    Object.defineProperty(copy, name, {
      value: (response as Record<string, unknown>)[name],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy as T;
}

/** Thrown inside `copyJson` when a value is not plain JSON data: `structuredClone` takes over. */
const NOT_PLAIN_JSON = Symbol('not plain JSON');
/** Deeper than any token (token responses are refused past 20 levels); also stops cycles. */
const MAX_DEPTH = 32;

/**
 * A deep copy of a token, the same as `structuredClone(token)` makes, several times faster for
 * the plain JSON data tokens are (plain objects, arrays, strings, numbers, booleans, null). It
 * runs on every token read (cache hits included), so it matters under load; anything else (a
 * Date, a Buffer, a class instance, a cycle) is handed to `structuredClone`.
 */
export function copyToken<T>(token: T): T {
  try {
    return copyJson(token, 0) as T;
  } catch (error) {
    if (error === NOT_PLAIN_JSON) return structuredClone(token);
    throw error;
  }
}

function copyJson(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol')
      throw NOT_PLAIN_JSON;
    return value;
  }
  if (depth > MAX_DEPTH) throw NOT_PLAIN_JSON;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (
      prototype !== Array.prototype ||
      Object.keys(value).length !== value.length
    )
      throw NOT_PLAIN_JSON;
    return value.map((item) => copyJson(item, depth + 1));
  }
  if (prototype !== Object.prototype && prototype !== null)
    throw NOT_PLAIN_JSON;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // Assigning `__proto__` would set the copy's prototype instead of an own property.
    if (key === '__proto__') throw NOT_PLAIN_JSON;
    copy[key] = copyJson((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}

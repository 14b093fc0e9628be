/**
 * What every secret is replaced with before it reaches a log, an event meant for logging or
 * an error message.
 * @publicApi
 */
export const REDACTED = '[redacted]';

/** Keys whose values are always secret, normalized to snake_case. */
const SENSITIVE_KEYS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  'passwd',
  'secret',
  'token',
  'authorization',
  'proxy_authorization',
  'cookie',
  'set_cookie',
  'api_key',
  'apikey',
  'x_api_key',
  'private_key',
  'nest_dance_sealed',
]);
/** Suffixes that make a key secret: `*_token`, `*_secret`, `*_password`, `*_verifier`. */
const SENSITIVE_SUFFIX = /_(token|secret|password|verifier|assertion)$/;

/** Token fields that are no secret (and whose values, like `Bearer`, are common words). */
const PUBLIC_TOKEN_FIELDS = new Set([
  'token_type',
  'scope',
  'expires_in',
  'expires_at',
]);

const MAX_DEPTH = 8;
const MIN_SECRET_LENGTH = 4;

/** `key=value` (query strings, form bodies, prose) for the sensitive keys. */
const FORM_PAIR =
  /(?<![A-Za-z0-9_])(access_token|refresh_token|id_token|code|code_verifier|client_secret|client_assertion|assertion|password|token|api_key)=([^&\s"',;]+)/gi;
/** `"key": "value"` (JSON) for the sensitive keys. */
const JSON_PAIR =
  /"(access_token|refresh_token|id_token|code|code_verifier|client_secret|client_assertion|assertion|password|token|api_key|authorization|nest_dance_sealed)"\s*:\s*"(?:[^"\\]|\\.)*"/gi;
/** Credentials after an HTTP authorization scheme. */
// `Token` is also an English word ("Token request failed"): after it, only what looks like a
// credential (20+ characters, or a digit or symbol) is redacted. Other schemes: anything.
const AUTH_SCHEME =
  /\b(?:(Bearer|Basic|DPoP|MAC)\s+[A-Za-z0-9._~+/=-]{4,}|(Token)\s+(?=[A-Za-z0-9._~+/=-]{20}|[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{6,})/g;
/** JSON Web Tokens (id tokens, JWT access tokens) wherever they appear. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * Whether a field or header name carries a secret (`access_token`, `refreshToken`,
 * `client-secret`, `Authorization`, `code`, `password`, any `*_token` or `*_secret`...).
 * @publicApi
 */
export function isSensitiveKey(name: string): boolean {
  const normalized = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/-/g, '_');
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_SUFFIX.test(normalized);
}

/**
 * `text` with every secret replaced by `[redacted]`: the given secret values (the code, the
 * verifier, the client secret... of the request at hand), `key=value` and JSON pairs of
 * sensitive keys, credentials after `Bearer` / `Basic`, and JSON Web Tokens.
 * @publicApi
 */
export function redactText(
  text: string,
  secrets: Iterable<string | null | undefined> = [],
): string {
  let redacted = String(text);
  const known = [...secrets]
    .filter(
      (secret): secret is string =>
        typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH,
    )
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  for (const secret of known) {
    redacted = redacted.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) redacted = redacted.split(encoded).join(REDACTED);
  }
  return redacted
    .replace(JSON_PAIR, (_match, key: string) => `"${key}":"${REDACTED}"`)
    .replace(FORM_PAIR, (_match, key: string) => `${key}=${REDACTED}`)
    .replace(
      AUTH_SCHEME,
      (_match, scheme?: string, tokenScheme?: string) =>
        `${scheme ?? tokenScheme} ${REDACTED}`,
    )
    .replace(JWT, REDACTED);
}

/**
 * A copy of `value` safe to log: values of sensitive keys become `[redacted]` at any depth,
 * strings go through `redactText`, errors become `{ name, message }` with a redacted message.
 * Cycles and nesting beyond 8 levels are cut.
 * @publicApi
 */
export function redact(
  value: unknown,
  secrets: Iterable<string | null | undefined> = [],
): unknown {
  const known = [...secrets];
  const seen = new WeakSet<object>();
  const visit = (current: unknown, depth: number): unknown => {
    if (typeof current === 'string') return redactText(current, known);
    if (typeof current !== 'object' || current === null) return current;
    if (seen.has(current)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[nested]';
    seen.add(current);
    if (current instanceof Error) {
      return {
        name: current.name,
        message: redactText(current.message, known),
      };
    }
    if (Array.isArray(current)) {
      return current.map((item) => visit(item, depth + 1));
    }
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(current)) {
      copy[key] = isSensitiveKey(key) ? REDACTED : visit(child, depth + 1);
    }
    return copy;
  };
  return visit(value, 0);
}

/**
 * Every string of `value` at any depth (a token's access, refresh and id tokens, extras...;
 * not `token_type` nor `scope`): the secrets to pass to `redactText` when a message may quote that value.
 * @publicApi
 */
export function secretStringsOf(value: unknown): string[] {
  const found: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (current: unknown, depth: number): void => {
    if (typeof current === 'string') {
      if (current.length >= MIN_SECRET_LENGTH) found.push(current);
      return;
    }
    if (typeof current !== 'object' || current === null) return;
    if (seen.has(current) || depth >= MAX_DEPTH) return;
    seen.add(current);
    for (const [key, child] of Object.entries(current)) {
      if (!PUBLIC_TOKEN_FIELDS.has(key)) visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return found;
}

/**
 * `error` as it may be logged: the same error when nothing in its message, stack or own fields
 * is secret, else a copy with the same prototype (so `instanceof` still holds) whose message,
 * stack and own fields went through `redact` with `secrets`.
 * @publicApi
 */
export function redactError<T>(
  error: T,
  secrets: Iterable<string | null | undefined> = [],
): T {
  if (!(error instanceof Error)) return error;
  const known = [...secrets];
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    fields[key] = isSensitiveKey(key) ? REDACTED : redact(value, known);
  }
  const message = redactText(error.message, known);
  const stack =
    error.stack === undefined ? undefined : redactText(error.stack, known);
  const same =
    message === error.message &&
    stack === error.stack &&
    Object.entries(error).every(
      ([key, value]) => JSON.stringify(fields[key]) === JSON.stringify(value),
    );
  if (same) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  Object.assign(copy, fields);
  Object.defineProperty(copy, 'message', {
    value: message,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(copy, 'stack', {
    value: stack,
    writable: true,
    configurable: true,
  });
  return copy as T;
}

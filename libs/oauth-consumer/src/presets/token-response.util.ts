/**
 * Token response normalizers shared by presets: each turns one provider quirk into
 * RFC 6749 fields and keeps every other field as it came.
 */

/**
 * A token response normalizer, as `BlueprintOptions.tokenResponse` takes it.
 * @publicApi
 */
export type TokenResponseNormalizer = (
  body: Record<string, unknown>,
) => Record<string, unknown>;

/** Runs normalizers left to right. */
export function normalizeWith(
  ...steps: TokenResponseNormalizer[]
): TokenResponseNormalizer {
  return (body) => steps.reduce((current, step) => step(current), body);
}

/** `scope: "a,b"` (GitHub, Strava, Shopify, TikTok...) or `scope: ["a", "b"]` (Twitch) → `"a b"`. */
export const spaceSeparatedScope: TokenResponseNormalizer = (body) => {
  const { scope } = body;
  if (Array.isArray(scope)) {
    return { ...body, scope: scope.map(String).join(' ') };
  }
  if (typeof scope === 'string' && scope.includes(',')) {
    return {
      ...body,
      scope: scope
        .split(/[\s,]+/)
        .filter((part) => part.length > 0)
        .join(' '),
    };
  }
  return body;
};

/** A non-expiring token announced as `expires_in: 0` (VK offline tokens) loses `expires_in`. */
export const zeroMeansNoExpiry: TokenResponseNormalizer = (body) => {
  if (body.expires_in === 0 || body.expires_in === '0') {
    const copy = { ...body };
    delete copy.expires_in;
    return copy;
  }
  return body;
};

/** Copies a provider's own field into an RFC 6749 one when the latter is missing. */
export function renameField(from: string, to: string): TokenResponseNormalizer {
  return (body) =>
    body[to] === undefined && body[from] !== undefined
      ? { ...body, [to]: body[from] }
      : body;
}

/** Lifts the token out of a wrapper (`{ data: [{ access_token }] }`, `{ data: { access_token } }`). */
export function unwrapToken(field: string): TokenResponseNormalizer {
  return (body) => {
    if (typeof body.access_token === 'string') return body;
    const inner = body[field];
    const first = Array.isArray(inner) ? inner[0] : inner;
    if (typeof first === 'object' && first !== null) {
      const rest = { ...body };
      delete rest[field];
      return { ...rest, ...(first as Record<string, unknown>) };
    }
    return body;
  };
}

/** A non-string `id_token` (Tumblr answers `id_token: false`) is dropped: there is no ID token to validate. */
export const withoutFalseIdToken: TokenResponseNormalizer = (body) => {
  if (body.id_token === undefined || typeof body.id_token === 'string') {
    return body;
  }
  const copy = { ...body };
  delete copy.id_token;
  return copy;
};

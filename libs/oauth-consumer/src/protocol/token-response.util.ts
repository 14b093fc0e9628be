import { withoutReservedTokenFields } from '../storage/reserved-token-fields.util';
import { OAuth2ClientOptions } from './oauth2-client-options.interface';
import { ConformedResponse, ReadResponse } from './http-transport.util';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** What conforming a token response changed, to undo on the token that is stored. */
export interface TokenResponseNotes {
  /** The `token_type` as the provider spelled it (undefined when it sent none). */
  tokenType?: unknown;
  /** Whether an `id_token` was left out because the blueprint has no issuer to check it with. */
  droppedIdToken?: boolean;
  /** Whether the answer handed to the engine carries an `id_token`. */
  hasIdToken?: boolean;
}

/**
 * Turns what a real token endpoint answered into the RFC 6749 §5.1/§5.2 JSON the engine reads:
 * form-encoded bodies become JSON, an `error` in an HTTP 200 body becomes an error answer
 * (GitHub, Slack), the preset's `tokenResponse` normalizes the rest (nested tokens, comma
 * scopes), an `expires_in` that is no number is dropped, a missing `token_type` reads as Bearer,
 * and an `id_token` nobody can validate (no `issuer`) is left out.
 */
export function conformTokenResponse(
  options: Readonly<OAuth2ClientOptions>,
  read: ReadResponse,
  notes: TokenResponseNotes,
): ConformedResponse {
  const { parsed } = read;
  if (!parsed) {
    return { status: read.status, body: read.text, headers: read.headers };
  }
  if (typeof parsed.error === 'string' || read.status >= 300) {
    const status = read.status >= 400 ? read.status : 400;
    const headers = new Headers(read.headers);
    headers.set('content-type', 'application/json');
    return { status, body: JSON.stringify(parsed), headers };
  }
  // nest-dance's own fields (nest_dance_*) never come from a provider (issue 13 #12); dropped
  // after the normalizer, which may lift fields out of a wrapper.
  const body = withoutReservedTokenFields(
    options.tokenResponse
      ? { ...options.tokenResponse(parsed) }
      : { ...parsed },
  );
  notes.tokenType = body.token_type;
  if (typeof body.token_type !== 'string' || !body.token_type) {
    body.token_type = 'Bearer';
  }
  if (typeof body.expires_in === 'string' && /^\d+$/.test(body.expires_in)) {
    body.expires_in = Number(body.expires_in);
  }
  if (
    body.expires_in !== undefined &&
    !(
      typeof body.expires_in === 'number' &&
      Number.isFinite(body.expires_in) &&
      body.expires_in >= 0
    )
  ) {
    delete body.expires_in;
  }
  if (body.id_token !== undefined && !options.issuer) {
    delete body.id_token;
    notes.droppedIdToken = true;
  }
  notes.hasIdToken = body.id_token !== undefined;
  if (Array.isArray(body.scope)) body.scope = body.scope.join(' ');
  if (body.scope !== undefined && typeof body.scope !== 'string') {
    delete body.scope;
  }
  if (
    body.refresh_token !== undefined &&
    (typeof body.refresh_token !== 'string' || !body.refresh_token)
  ) {
    delete body.refresh_token;
  }
  return {
    status: 200,
    body: JSON.stringify(body),
    headers: new Headers({ ...headersOf(read.headers), ...JSON_HEADERS }),
  };
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

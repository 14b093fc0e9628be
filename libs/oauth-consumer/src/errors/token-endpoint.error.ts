import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Why a request to a provider's endpoint failed: the provider refused it (`rejected`, with its
 * OAuth `error` code, or an HTTP 4xx other than 408 and 429), could not serve it (`unavailable`:
 * 5xx, 408 or 429), took too long (`timeout`), could not be reached (`network`) or answered
 * something unusable (`invalid-response`, which includes an ID token that failed validation).
 * @publicApi
 */
export type TokenEndpointFailure =
  'rejected' | 'unavailable' | 'timeout' | 'network' | 'invalid-response';

/**
 * Which request failed (the token endpoint's grants, revocation, pushed authorization, device
 * authorization, discovery).
 * @publicApi
 */
export type TokenRequestKind =
  | 'code exchange'
  | 'refresh'
  | 'client credentials'
  | 'device code'
  | 'device authorization'
  | 'pushed authorization'
  | 'revocation'
  | 'token';

/**
 * A request to a provider's endpoint failed. The message says which request, how it failed,
 * the HTTP status and the provider's error code with a shortened description; never a token,
 * code, verifier, assertion or client secret.
 * @publicApi
 */
export class TokenEndpointError extends OAuthConsumerError {
  constructor(
    readonly provider: string,
    readonly failure: TokenEndpointFailure,
    message: string,
    /** The OAuth error code the provider sent (e.g. `invalid_grant`), if any. */
    readonly code?: string,
    /** The HTTP status of the provider's answer, if there was one. */
    readonly status?: number,
    /** Which request failed. */
    readonly request: TokenRequestKind = 'token',
  ) {
    super(
      `The ${request} request to '${provider}' failed (${failure}): ${message}`,
    );
  }

  /** True for failures worth retrying later (5xx, 408, 429, timeouts, network); false when the provider refused. */
  get isTransient(): boolean {
    return (
      this.failure === 'unavailable' ||
      this.failure === 'timeout' ||
      this.failure === 'network'
    );
  }

  /**
   * True when the provider refused the request itself (an OAuth error, or an HTTP 4xx other than
   * 408 and 429, even with an empty body): on a refresh the grant is dead and the user must
   * connect again. RFC 6749 §5.2 requires a JSON `error`; servers that omit it still mean no.
   */
  get needsReconnect(): boolean {
    return this.failure === 'rejected' || this.code === 'invalid_grant';
  }
}

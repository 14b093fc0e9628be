import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Why a token endpoint request failed: the provider refused it (`rejected`, with its OAuth
 * `error` code), could not serve it (`unavailable`: 5xx or 429), took too long (`timeout`),
 * could not be reached (`network`) or answered something unusable (`invalid-response`).
 * @publicApi
 */
export type TokenEndpointFailure =
  'rejected' | 'unavailable' | 'timeout' | 'network' | 'invalid-response';

/**
 * A token endpoint request failed. The message carries the provider's error code and a
 * shortened description, never a token, code, verifier or client secret.
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
  ) {
    super(`Token request to '${provider}' failed (${failure}): ${message}`);
  }

  /** True for failures worth retrying later (5xx, 429, timeouts, network); false when the grant itself was refused. */
  get isTransient(): boolean {
    return (
      this.failure === 'unavailable' ||
      this.failure === 'timeout' ||
      this.failure === 'network'
    );
  }

  /** True when the provider says the grant is dead and the user must connect again. */
  get needsReconnect(): boolean {
    return this.code === 'invalid_grant' || this.code === 'invalid_client';
  }
}

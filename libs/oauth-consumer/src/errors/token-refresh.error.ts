import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Why a refresh failed: the grant is dead and the user must connect again (`reconnect`),
 * the provider is unavailable for now (`unavailable`, retried with backoff), another
 * process held the refresh lock too long (`lock-timeout`), or there is nothing to refresh
 * with (`not-refreshable`).
 * @publicApi
 */
export type TokenRefreshFailure =
  'reconnect' | 'unavailable' | 'lock-timeout' | 'not-refreshable';

/**
 * An expired token could not be refreshed. Never carries a token in its message.
 * @publicApi
 */
export class TokenRefreshError extends OAuthConsumerError {
  constructor(
    readonly provider: string,
    readonly failure: TokenRefreshFailure,
    message: string,
    /** When a retry makes sense again, for `unavailable`. */
    readonly retryAfterMs?: number,
    override readonly cause?: unknown,
  ) {
    super(`Refreshing the '${provider}' token failed (${failure}): ${message}`);
  }

  /** True when the user must go through the dance again. */
  get needsReconnect(): boolean {
    return this.failure === 'reconnect' || this.failure === 'not-refreshable';
  }
}

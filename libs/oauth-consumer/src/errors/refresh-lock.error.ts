import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * A refresh lock could not be taken or checked because its store failed (database down, lock
 * table missing, a write refused), as opposed to being held by someone else
 * (`RefreshLockTimeoutError`). The message names the fix; `cause` is a sanitized copy of the
 * driver's error (its code and first line, never the query parameters).
 * @publicApi
 */
export class RefreshLockError extends OAuthConsumerError {
  constructor(
    /** The lock's name (the token's serialized key). */
    readonly lockName: string,
    /** What went wrong and how to fix it. */
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not take the refresh lock '${lockName}': ${detail}`, options);
  }
}

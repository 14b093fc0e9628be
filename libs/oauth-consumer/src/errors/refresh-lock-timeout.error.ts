import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * A refresh lock stayed taken longer than the caller would wait.
 * @publicApi
 */
export class RefreshLockTimeoutError extends OAuthConsumerError {
  constructor(
    readonly lockName: string,
    waitedMs: number,
  ) {
    super(
      `Waited ${waitedMs} ms for the refresh lock '${lockName}': another process is refreshing this ` +
        'token or crashed while holding the lock (it frees itself after refresh.lockTtlMs). Retry shortly.',
    );
  }
}

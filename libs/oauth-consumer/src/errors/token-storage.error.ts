import { OAuthConsumerError } from './oauth-consumer.error';
import { TokenOperation } from './user-required.error';

/**
 * A storage could not read, write or delete a token (database down, table missing, entity
 * not registered...). Thrown instead of answering `null`, so a failure never looks like
 * "this user has no token". The message names the fix and never contains the token; `cause`
 * is a sanitized copy of the driver's error (its code and message, never the query parameters).
 * @publicApi
 */
export class TokenStorageError extends OAuthConsumerError {
  constructor(
    /** What was attempted. */
    readonly operation: TokenOperation,
    /** The provider (blueprint name) of the token. */
    readonly provider: string,
    /** What went wrong and how to fix it, without any token in it. */
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Could not ${operation} the OAuth token of provider '${provider}': ${detail}`,
      options,
    );
  }
}

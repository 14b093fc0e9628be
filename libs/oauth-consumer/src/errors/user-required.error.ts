import { OAuthConsumerError } from './oauth-consumer.error';

/** The token operations that may require a user. */
export type TokenOperation = 'get' | 'set' | 'delete';

/**
 * A token operation ran without a user while `userRequired` is on.
 * @publicApi
 */
export class UserRequiredError extends OAuthConsumerError {
  constructor(
    readonly operation: TokenOperation,
    readonly provider: string,
  ) {
    super(
      `Cannot ${operation} OAuth token without an associated user (provider '${provider}'): ` +
        'sign the user in first, pass { userId } explicitly, or wrap the call in ' +
        'OAuthUserContext.runAs(user, fn). Set userRequired: false to allow a userless token.',
    );
  }
}

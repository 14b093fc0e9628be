import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * An API call needed a token and the user has none for that provider.
 * @publicApi
 */
export class TokenMissingError extends OAuthConsumerError {
  constructor(
    readonly provider: string,
    readonly loginUrl?: string,
  ) {
    super(
      `No '${provider}' token for this user: send them through the dance first` +
        (loginUrl ? ` (${loginUrl})` : '') +
        ', or pass { token } / { userId } to blueprint.fetch().',
    );
  }
}

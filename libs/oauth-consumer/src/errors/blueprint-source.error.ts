import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * The app's `blueprintSource` failed to answer (its database is down, say): the login routes
 * answer 503 and nothing is cached, so the next request asks the source again.
 * @publicApi
 */
export class BlueprintSourceError extends OAuthConsumerError {
  constructor(
    /** The name that was being resolved. */
    readonly blueprintName: string,
    cause: unknown,
  ) {
    super(
      `The blueprintSource could not resolve '${blueprintName}' (${
        cause instanceof Error ? cause.name : typeof cause
      }): check the source (e.g. its database connection); nothing was cached.`,
      { cause },
    );
  }
}

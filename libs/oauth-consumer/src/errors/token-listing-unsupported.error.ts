import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Listing a user's tokens (connections, background refresh) was asked of a storage that does
 * not implement the optional `TokenStorage.list()` (or `listExpiring()`) method.
 * @publicApi
 */
export class TokenListingUnsupportedError extends OAuthConsumerError {
  constructor(
    /** The storage's class name. */
    readonly storage: string,
    /** The missing method: `list` or `listExpiring`. */
    readonly method: 'list' | 'listExpiring',
  ) {
    super(
      method === 'list'
        ? `${storage} does not implement TokenStorage.list({ userId, provider }), which OAuthConnections ` +
            "needs to list a user's connections: add a list() method returning { key, token } for every " +
            'token the user has (every shipped storage has one).'
        : `${storage} does not implement TokenStorage.listExpiring({ before, limit }), which the ` +
            'background refresh (TokenRefresher.refreshDue) needs: add it, returning { key, token } for ' +
            'tokens of every owner whose expires_at is before `before`, soonest first, or turn ' +
            'refresh.background off.',
    );
  }
}

import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * SessionTokenStorage was used where there is no express-session session.
 * @publicApi
 */
export class SessionUnavailableError extends OAuthConsumerError {
  constructor(reason: 'no-request' | 'no-session') {
    super(
      reason === 'no-request'
        ? 'SessionTokenStorage can only be used while handling an HTTP request (there is no session ' +
            'outside one): use a database storage such as TypeOrmTokenStorage for jobs and queues.'
        : 'SessionTokenStorage needs express-session: add app.use(session({ secret, resave: false, ' +
            'saveUninitialized: false })) before the app listens, or bind another storage with ' +
            'OAuthConsumerModule.forRoot({ storage }).',
    );
  }
}

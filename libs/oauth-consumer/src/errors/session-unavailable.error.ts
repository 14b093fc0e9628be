import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * SessionTokenStorage (or `signIn`) was used where the request has no session.
 * @publicApi
 */
export class SessionUnavailableError extends OAuthConsumerError {
  constructor(reason: 'no-request' | 'no-session') {
    super(
      reason === 'no-request'
        ? 'SessionTokenStorage can only be used while handling an HTTP request (there is no session ' +
            'outside one): use a database storage such as TypeOrmTokenStorage for jobs and queues.'
        : 'There is no session on this request. On Express add express-session: app.use(session({ secret, ' +
            'resave: false, saveUninitialized: false })) before the app listens; on Fastify register ' +
            '@fastify/cookie and @fastify/session (or @fastify/secure-session). Or bind another storage with ' +
            'OAuthConsumerModule.forRoot({ storage }).',
    );
  }
}

import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * The options given to OAuthConsumerModule or to a blueprint cannot work.
 * @publicApi
 */
export class InvalidOptionsError extends OAuthConsumerError {}

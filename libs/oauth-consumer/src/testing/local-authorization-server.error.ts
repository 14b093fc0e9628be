import { OAuthConsumerError } from '../errors/oauth-consumer.error';

/**
 * The LocalAuthorizationServer could not start, answer or complete a step; the message says why.
 * @publicApi
 */
export class LocalAuthorizationServerError extends OAuthConsumerError {}

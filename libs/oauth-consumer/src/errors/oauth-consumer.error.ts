/**
 * The base of every error nest-dance throws; its message names the fix.
 * @publicApi
 */
export class OAuthConsumerError extends Error {
  override name = this.constructor.name;
}

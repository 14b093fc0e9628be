import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * A feature was used whose optional peer dependency is not installed; the message names the
 * `npm install` command.
 * @publicApi
 */
export class MissingPeerError extends OAuthConsumerError {
  constructor(
    /** What needs the package, e.g. `RedisRefreshLock`. */
    readonly feature: string,
    /** The missing package, e.g. `redis`. */
    readonly packageName: string,
    /** The packages to install, e.g. `redis` or `oauth passport-oauth1`. */
    install: string = packageName,
  ) {
    super(
      `${feature} needs the package '${packageName}': npm install ${install}`,
    );
  }
}

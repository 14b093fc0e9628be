import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Why a device authorization (RFC 8628) ended without a token: the user denied it, or the
 * device code expired before the user approved.
 * @publicApi
 */
export type DeviceAuthorizationFailure = 'denied' | 'expired';

/**
 * A device authorization ended without a token; start a new one.
 * @publicApi
 */
export class DeviceAuthorizationError extends OAuthConsumerError {
  constructor(
    readonly provider: string,
    readonly failure: DeviceAuthorizationFailure,
    message: string,
  ) {
    super(
      `The device authorization at '${provider}' ended (${failure}): ${message}`,
    );
  }
}

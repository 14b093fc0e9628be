import { setTimeout as sleep } from 'node:timers/promises';
import { DeviceAuthorizationError } from '../errors/device-authorization.error';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { OAuthToken } from '../storage/oauth-token.interface';

/** RFC 8628 §3.2: the interval when the server names none, in seconds. */
const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: `slow_down` adds this to the interval, for this and every later poll. */
const SLOW_DOWN_SECONDS = 5;
/** How long a transient failure (network, 5xx) may stretch the interval, at most. */
const MAX_INTERVAL_SECONDS = 60;

/** What polling needs: the device code and its timing, and one poll of the token endpoint. */
export interface DevicePolling {
  provider: string;
  deviceCode: string;
  expiresIn: number;
  interval?: number;
  poll(deviceCode: string): Promise<OAuthToken>;
  signal?: AbortSignal;
}

/**
 * Polls the token endpoint with the device code (RFC 8628 §3.4, §3.5) until the user approves
 * (resolves to the token), denies or lets the code expire (`DeviceAuthorizationError`): every
 * `interval` seconds (5 when the server names none), 5 more after each `slow_down`, twice as
 * long after a transient failure.
 */
export async function pollDeviceCode(
  polling: DevicePolling,
): Promise<OAuthToken> {
  const deadline = Date.now() + polling.expiresIn * 1000;
  let interval = polling.interval ?? DEFAULT_INTERVAL_SECONDS;
  for (;;) {
    await sleep(interval * 1000, undefined, { signal: polling.signal });
    if (Date.now() >= deadline) throw expired(polling.provider);
    try {
      return await polling.poll(polling.deviceCode);
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      switch (error.code) {
        case 'authorization_pending':
          continue;
        case 'slow_down':
          interval += SLOW_DOWN_SECONDS;
          continue;
        case 'expired_token':
          throw expired(polling.provider);
        case 'access_denied':
          throw new DeviceAuthorizationError(
            polling.provider,
            'denied',
            'the user denied the request: start a new one to ask again.',
          );
      }
      if (!error.isTransient) throw error;
      interval = Math.min(interval * 2, MAX_INTERVAL_SECONDS);
    }
  }
}

function expired(provider: string): DeviceAuthorizationError {
  return new DeviceAuthorizationError(
    provider,
    'expired',
    'the device code expired before the user approved: start a new device authorization.',
  );
}

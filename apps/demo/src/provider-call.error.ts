import {
  BadGatewayException,
  ConflictException,
  GatewayTimeoutException,
  HttpException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { TokenEndpointError, TokenRefreshError } from 'nest-dance';

/**
 * The answer when calling a provider's endpoint with the user's token failed before any answer
 * came: it says which request failed and how. A refused refresh is not "could not be reached":
 * the endpoint may be fine, the grant is not (409, connect again); a provider that cannot refresh
 * now is a 503; only a network failure or a timeout of the call itself is a 502 or 504. The
 * library's messages carry no token.
 */
export function providerCallError(
  provider: string,
  endpoint: string,
  error: unknown,
  loginUrl: string,
): HttpException {
  if (error instanceof TokenRefreshError) {
    if (error.needsReconnect) {
      return new ConflictException(
        `Calling the '${provider}' ${endpoint} needed a fresh token, and the refresh was refused: ` +
          `${error.message} Connect again at ${loginUrl}.`,
      );
    }
    return new ServiceUnavailableException(
      `Calling the '${provider}' ${endpoint} needed a fresh token, and the refresh failed for now: ${error.message}`,
    );
  }
  if (error instanceof TokenEndpointError) {
    return new BadGatewayException(
      `Calling the '${provider}' ${endpoint} failed: ${error.message}`,
    );
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GatewayTimeoutException(
      `The '${provider}' ${endpoint} did not answer in time.`,
    );
  }
  return new BadGatewayException(
    `The '${provider}' ${endpoint} could not be reached (${name ?? 'network error'}).`,
  );
}

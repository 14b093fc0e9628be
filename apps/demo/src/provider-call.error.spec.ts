import { TokenEndpointError, TokenRefreshError } from 'nest-dance';
import { providerCallError } from './provider-call.error';

const refused = new TokenRefreshError(
  'local',
  'reconnect',
  'the provider refused the grant (HTTP 400): the user must connect again.',
  undefined,
  new TokenEndpointError(
    'local',
    'rejected',
    'HTTP 400 with no OAuth error code and an empty body',
    undefined,
    400,
    'refresh',
  ),
);

describe('providerCallError: the demo says which request failed and how', () => {
  it('a refused refresh is a 409 that says so and where to connect again, not "could not be reached"', () => {
    const error = providerCallError(
      'local',
      'user endpoint',
      refused,
      '/login/local',
    );
    expect(error.getStatus()).toBe(409);
    expect(error.message).toMatch(
      /needed a fresh token, and the refresh was refused: Refreshing the 'local' token failed \(reconnect\).*Connect again at \/login\/local/,
    );
    expect(error.message).not.toMatch(/could not be reached/);
  });

  it('a refresh that fails for now is a 503 with the reason', () => {
    const error = providerCallError(
      'local',
      'user endpoint',
      new TokenRefreshError(
        'local',
        'unavailable',
        'HTTP 503; the token is kept.',
      ),
      '/login/local',
    );
    expect(error.getStatus()).toBe(503);
    expect(error.message).toMatch(/refresh failed for now: .*HTTP 503/);
  });

  it('only a network failure of the call itself is "could not be reached" (502), a timeout a 504', () => {
    expect(
      providerCallError(
        'local',
        'user endpoint',
        new TypeError('fetch failed'),
        '/login/local',
      ).getStatus(),
    ).toBe(502);
    const timeout = new Error('timed out');
    timeout.name = 'TimeoutError';
    expect(
      providerCallError(
        'local',
        'user endpoint',
        timeout,
        '/login/local',
      ).getStatus(),
    ).toBe(504);
  });
});

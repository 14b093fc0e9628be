import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import {
  normalizeWith,
  spaceSeparatedScope,
  unwrapToken,
} from './token-response.util';

/**
 * Options of the `withings` preset.
 * @publicApi
 */
export type WithingsPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.withings.com/developer-guide/v3/integration-guide/public-health-data-api/get-access/oauth-authorization-url/: account.withings.com/oauth2_user/authorize2
// with comma-separated scopes (user.metrics, user.activity...), codes valid 30 seconds, wbsapi.withings.net/v2/oauth2 with action=requesttoken for codes and refresh tokens, answering { status, body }.
/**
 * Withings (Public Health Data API): credentials from the Withings developer dashboard; scopes `user.metrics`, `user.activity`, `user.sleepevents` (comma-separated).
 * @publicApi
 */
export const withings = definePreset<WithingsPresetOptions>(
  {
    name: 'withings',
    title: 'Withings',
    console:
      'developer.withings.com → Developer Dashboard → Create an application (client id, secret, callback URL)',
    scopes:
      '`user.metrics`, `user.activity`, `user.sleepevents` (comma-separated); `user.info` needs a Withings contract.',
    defaultScope: ['user.metrics'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.withings.com/developer-guide/v3/integration-guide/public-health-data-api/get-access/oauth-authorization-url/',
      notes:
        'The token endpoint moved to wbsapi.withings.net/v2/oauth2 with action=requesttoken and a { status, body } answer (Withings support, "Shutting down access and refresh tokens endpoints").',
    },
    notes:
      'The token endpoint answers `{ status, body }` with HTTP 200: the token is lifted out of `body`; a failure carries `error` (with a non-zero `status`) and is refused as any OAuth error. The token names the user (`userid`); there is no user-info endpoint without a contract, so no `profile`.',
  },
  () => ({
    authorizationUrl: 'https://account.withings.com/oauth2_user/authorize2',
    tokenUrl: 'https://wbsapi.withings.net/v2/oauth2',
    refreshUrl: 'https://wbsapi.withings.net/v2/oauth2',
    baseUrl: 'https://wbsapi.withings.net/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    tokenParams: { action: 'requesttoken' },
    refreshParams: { action: 'requesttoken' },
    tokenResponse: normalizeWith(unwrapToken('body'), spaceSeparatedScope),
  }),
);

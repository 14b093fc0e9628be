import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `nylas` preset.
 * @publicApi
 */
export interface NylasPresetOptions extends PresetOptions {
  /** The Nylas data region (default `us`). */
  region?: 'us' | 'eu';
  /** Skip Nylas's provider picker: `google`, `microsoft`, `imap`, `icloud`, `yahoo`, `ews`, `zoom`. */
  provider?: string;
  /** Pre-fill the email address (`login_hint`). */
  loginHint?: string;
}

// Checked 2026-12-01 against https://developer.nylas.com/docs/v3/auth/hosted-oauth-accesstoken/: /v3/connect/auth and /v3/connect/token (form or JSON, client id and
// API key in the body) for codes and refresh tokens, PKCE optional and recommended; no RFC 7009 revocation.
/**
 * Nylas v3 (Hosted OAuth with access token): credentials from dashboard-v3.nylas.com (application client id; the API key is the secret); scopes come from the connectors.
 * @publicApi
 */
export const nylas = definePreset<NylasPresetOptions>(
  {
    name: 'nylas',
    title: 'Nylas',
    console:
      'dashboard-v3.nylas.com → your application (client id; an API key as client secret)',
    scopes:
      'set on the provider connectors (Google, Microsoft...); pass provider scopes only to narrow them.',
    defaultScope: [],
    options: {
      region: '`us` (default) or `eu`',
      provider: 'skip the provider picker (`provider`)',
      loginHint: '`login_hint`',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.nylas.com/docs/v3/auth/hosted-oauth-accesstoken/',
    },
    notes:
      'v3 API (v2 is retired). The client id is always sent in the token request body, as Nylas requires. The token response carries `grant_id` and `email`; API calls go to `/v3/grants/{grant_id}/...`.',
  },
  (options) => {
    const region =
      oneOf('nylas', 'region', options.region, ['us', 'eu']) ?? 'us';
    const root = `https://api.${region}.nylas.com/v3`;
    return {
      authorizationUrl: `${root}/connect/auth`,
      tokenUrl: `${root}/connect/token`,
      refreshUrl: `${root}/connect/token`,
      baseUrl: `${root}/`,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        provider: options.provider,
        login_hint: options.loginHint,
      }),
    };
  },
);

import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `strava` preset.
 * @publicApi
 */
export interface StravaPresetOptions extends PresetOptions {
  /** `force` shows the authorization screen every time (`approval_prompt`). */
  approvalPrompt?: 'auto' | 'force';
}

// Checked 2026-12-01 against https://developers.strava.com/docs/authentication/: www.strava.com/oauth/authorize (comma-separated scopes read, activity:read_all..., approval_prompt), www.strava.com/oauth/token with client id and secret
// in the form for codes and refresh tokens (6-hour access tokens, always keep the latest refresh token), deauthorization at /oauth/deauthorize (not RFC 7009).
/**
 * Strava: credentials from strava.com/settings/api; scopes `read`, `activity:read`, `activity:read_all`, `profile:read_all` (comma-separated).
 * @publicApi
 */
export const strava = definePreset<StravaPresetOptions>(
  {
    name: 'strava',
    title: 'Strava',
    console: 'strava.com/settings/api',
    scopes:
      '`read` for the public profile; `activity:read`, `activity:read_all`, `profile:read_all`, `activity:write`.',
    defaultScope: ['read'],
    options: { approvalPrompt: '`auto` or `force` (`approval_prompt`)' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.strava.com/docs/authentication/',
    },
    notes:
      'Strava does not share email addresses. Comma-separated scopes are normalized to spaces.',
  },
  (options) => ({
    authorizationUrl: 'https://www.strava.com/oauth/authorize',
    tokenUrl: 'https://www.strava.com/oauth/token',
    refreshUrl: 'https://www.strava.com/oauth/token',
    baseUrl: 'https://www.strava.com/api/v3/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      approval_prompt: oneOf(
        'strava',
        'approvalPrompt',
        options.approvalPrompt,
        ['auto', 'force'],
      ),
    }),
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://www.strava.com/api/v3/athlete',
    profile: (raw) =>
      toProfile('strava', raw, {
        id: raw.id,
        name: joined(raw.firstname, raw.lastname),
        avatarUrl: raw.profile,
      }),
  }),
);

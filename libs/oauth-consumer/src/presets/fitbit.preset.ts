import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `fitbit` preset.
 * @publicApi
 */
export type FitbitPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://dev.fitbit.com/build/reference/web-api/authorization/oauth2-token/: www.fitbit.com/oauth2/authorize (space-separated scopes, PKCE S256 recommended),
// api.fitbit.com/oauth2/token with a Basic header for server apps, each refresh returns a new access and refresh token; /oauth2/revoke.
/**
 * Fitbit (Google): credentials from dev.fitbit.com → Manage → Register an app; scopes `profile`, `activity`, `heartrate`, `sleep`...
 * @publicApi
 */
export const fitbit = definePreset<FitbitPresetOptions>(
  {
    name: 'fitbit',
    title: 'Fitbit',
    console: 'dev.fitbit.com → Manage → Register an app',
    scopes:
      '`profile` for the profile; data scopes such as `activity`, `heartrate`, `sleep`, `weight`.',
    defaultScope: ['profile'],
    options: {},
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://dev.fitbit.com/build/reference/web-api/authorization/oauth2-token/',
      rotating: true,
      notes:
        'Third-party catalogues report a planned turndown of the legacy Fitbit Web API in favour of the Google Health API; the official pages checked still document these endpoints.',
    },
  },
  () => ({
    authorizationUrl: 'https://www.fitbit.com/oauth2/authorize',
    tokenUrl: 'https://api.fitbit.com/oauth2/token',
    refreshUrl: 'https://api.fitbit.com/oauth2/token',
    revocationUrl: 'https://api.fitbit.com/oauth2/revoke',
    baseUrl: 'https://api.fitbit.com/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.fitbit.com/1/user/-/profile.json',
    profile: (raw) =>
      toProfile('fitbit', raw, {
        id: pick(raw, 'user.encodedId'),
        name: pick(raw, 'user.displayName') ?? pick(raw, 'user.fullName'),
        avatarUrl: pick(raw, 'user.avatar150') ?? pick(raw, 'user.avatar'),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `oura` preset.
 * @publicApi
 */
export type OuraPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://cloud.ouraring.com/docs/authentication: cloud.ouraring.com/oauth/authorize with a space-separated scope list the user can trim (all scopes when none
// is given), api.ouraring.com/oauth/token for the server-side flow with refresh tokens; no PKCE documented.
/**
 * Oura (API v2): credentials from cloud.ouraring.com → My Applications; scopes `personal`, `daily`, `heartrate`, `workout`...
 * @publicApi
 */
export const oura = definePreset<OuraPresetOptions>(
  {
    name: 'oura',
    title: 'Oura',
    console:
      'cloud.ouraring.com → My Applications → Create a new application (client id and secret, redirect URIs)',
    scopes:
      '`email`, `personal`, `daily`, `heartrate`, `workout`, `tag`, `session`, `spo2Daily` (the user may turn any off).',
    defaultScope: ['personal', 'daily'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://cloud.ouraring.com/docs/authentication',
    },
    notes:
      'Users can switch off any requested scope on the consent page: check the granted `scope` before relying on one.',
  },
  () => ({
    authorizationUrl: 'https://cloud.ouraring.com/oauth/authorize',
    tokenUrl: 'https://api.ouraring.com/oauth/token',
    refreshUrl: 'https://api.ouraring.com/oauth/token',
    baseUrl: 'https://api.ouraring.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.ouraring.com/v2/usercollection/personal_info',
    profile: (raw) => toProfile('oura', raw, { id: raw.id, email: raw.email }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `airtable` preset.
 * @publicApi
 */
export type AirtablePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://airtable.com/developers/web/api/oauth-reference: airtable.com/oauth2/v1/authorize with space-delimited scopes selected on the integration and a required S256 code_challenge,
// airtable.com/oauth2/v1/token with a Basic header for confidential clients, expiring access tokens and single-use refresh tokens; user id and email from api.airtable.com/v0/meta/whoami.
/**
 * Airtable: credentials from airtable.com/create/oauth; PKCE required; scopes `data.records:read`, `schema.bases:read`, `user.email:read`.
 * @publicApi
 */
export const airtable = definePreset<AirtablePresetOptions>(
  {
    name: 'airtable',
    title: 'Airtable',
    console:
      'airtable.com/create/oauth → Register new OAuth integration (client id, client secret, redirect URL, scopes)',
    scopes:
      '`user.email:read`, `data.records:read`, `data.records:write`, `schema.bases:read`... (also selected on the integration).',
    defaultScope: ['user.email:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://airtable.com/developers/web/api/oauth-reference',
      rotating: true,
    },
  },
  () => ({
    authorizationUrl: 'https://airtable.com/oauth2/v1/authorize',
    tokenUrl: 'https://airtable.com/oauth2/v1/token',
    refreshUrl: 'https://airtable.com/oauth2/v1/token',
    baseUrl: 'https://api.airtable.com/v0/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.airtable.com/v0/meta/whoami',
    profile: (raw) =>
      toProfile('airtable', raw, { id: raw.id, email: raw.email }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `typeform` preset.
 * @publicApi
 */
export type TypeformPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://www.typeform.com/developers/get-started/scopes/: api.typeform.com/oauth/authorize with scopes joined by + (spaces), api.typeform.com/oauth/token; always
// add the offline scope to receive a refresh token; accounts:read for GET /me; no PKCE or revocation documented.
/**
 * Typeform: credentials from Typeform → Developer apps; scopes `accounts:read`, `forms:read`, `responses:read`; `offline` (default) for refresh tokens.
 * @publicApi
 */
export const typeform = definePreset<TypeformPresetOptions>(
  {
    name: 'typeform',
    title: 'Typeform',
    console:
      'admin.typeform.com → Developer apps → Register a new app (client id and secret, redirect URI)',
    scopes:
      '`accounts:read` for the profile; `forms:read`, `forms:write`, `responses:read`, `webhooks:write`...; `offline` for a refresh token.',
    defaultScope: ['accounts:read', 'offline'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://www.typeform.com/developers/get-started/scopes/',
      notes:
        'Endpoints also checked against https://www.typeform.com/developers/get-started/applications/.',
    },
  },
  () => ({
    authorizationUrl: 'https://api.typeform.com/oauth/authorize',
    tokenUrl: 'https://api.typeform.com/oauth/token',
    refreshUrl: 'https://api.typeform.com/oauth/token',
    baseUrl: 'https://api.typeform.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.typeform.com/me',
    profile: (raw) =>
      toProfile('typeform', raw, {
        id: raw.user_id,
        name: raw.alias,
        email: raw.email,
      }),
  }),
);

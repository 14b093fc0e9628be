import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `whoop` preset.
 * @publicApi
 */
export type WhoopPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.whoop.com/docs/developing/oauth: api.prod.whoop.com/oauth/oauth2/auth and /oauth/oauth2/token (client_id and client_secret in the body), space-separated scopes,
// `offline` for a refresh token; a refresh (with scope=offline) returns a new refresh token as well (rotating); no PKCE or revocation documented.
/**
 * WHOOP (developer API v2): app from the WHOOP Developer Dashboard; scopes `read:profile`, `read:recovery`, `read:sleep`, `offline` for refresh tokens.
 * @publicApi
 */
export const whoop = definePreset<WhoopPresetOptions>(
  {
    name: 'whoop',
    title: 'WHOOP',
    console:
      'WHOOP Developer Dashboard → Create App (client ID, client secret, redirect URLs, scopes)',
    scopes:
      '`read:profile`, `read:recovery`, `read:cycles`, `read:sleep`, `read:workout`, `read:body_measurement`; `offline` for refresh tokens.',
    defaultScope: ['read:profile', 'offline'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.whoop.com/docs/developing/oauth',
      rotating: true,
      notes:
        'Refresh parameters per developer.whoop.com/docs/tutorials/refresh-token-javascript.',
    },
    notes:
      "The `state` WHOOP sends back must be at least 8 characters (the dance's always is).",
  },
  () => ({
    authorizationUrl: 'https://api.prod.whoop.com/oauth/oauth2/auth',
    tokenUrl: 'https://api.prod.whoop.com/oauth/oauth2/token',
    refreshUrl: 'https://api.prod.whoop.com/oauth/oauth2/token',
    baseUrl: 'https://api.prod.whoop.com/developer/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    refreshParams: { scope: 'offline' },
    userInfoUrl: 'https://api.prod.whoop.com/developer/v2/user/profile/basic',
    profile: (raw) =>
      toProfile('whoop', raw, {
        id: raw.user_id,
        name: joined(raw.first_name, raw.last_name),
        email: raw.email,
      }),
  }),
);

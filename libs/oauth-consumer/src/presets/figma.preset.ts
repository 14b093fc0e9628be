import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `figma` preset.
 * @publicApi
 */
export type FigmaPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.figma.com/docs/rest-api/authentication: authorize www.figma.com/oauth, code at api.figma.com/v1/oauth/token,
// refresh at its own /v1/oauth/refresh (Basic header, no new refresh token), space-separated scopes, no PKCE or revocation documented.
/**
 * Figma: credentials from figma.com/developers/apps; scopes `current_user:read`, `file_content:read`, `file_comments:read`...
 * @publicApi
 */
export const figma = definePreset<FigmaPresetOptions>(
  {
    name: 'figma',
    title: 'Figma',
    console: 'figma.com/developers/apps',
    scopes:
      '`current_user:read` for the profile; `file_content:read`, `file_comments:read`, `file_variables:read`...',
    defaultScope: ['current_user:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.figma.com/docs/rest-api/authentication',
      rotating: false,
    },
    notes:
      'Refresh has its own endpoint (`/v1/oauth/refresh`); the old `www.figma.com/api/oauth/token` endpoint was retired in 2025.',
  },
  () => ({
    authorizationUrl: 'https://www.figma.com/oauth',
    tokenUrl: 'https://api.figma.com/v1/oauth/token',
    refreshUrl: 'https://api.figma.com/v1/oauth/refresh',
    baseUrl: 'https://api.figma.com/v1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.figma.com/v1/me',
    profile: (raw) =>
      toProfile('figma', raw, {
        id: raw.id,
        name: raw.handle,
        email: raw.email,
        avatarUrl: raw.img_url,
      }),
  }),
);

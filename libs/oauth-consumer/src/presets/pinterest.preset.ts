import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `pinterest` preset.
 * @publicApi
 */
export type PinterestPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/: www.pinterest.com/oauth/ with comma-separated scopes (user_accounts:read, boards:read...), api.pinterest.com/v5/oauth/token with a
// Basic header for codes and refresh tokens; continuous refresh (a new refresh token on each refresh) replaced the legacy 365-day refresh token; no PKCE or revocation documented.
/**
 * Pinterest (API v5): credentials from developers.pinterest.com/apps; scopes `user_accounts:read`, `boards:read`, `pins:read` (comma-separated).
 * @publicApi
 */
export const pinterest = definePreset<PinterestPresetOptions>(
  {
    name: 'pinterest',
    title: 'Pinterest',
    console: 'developers.pinterest.com/apps',
    scopes:
      '`user_accounts:read` for the profile; `boards:read`, `pins:read`, `pins:write`...',
    defaultScope: ['user_accounts:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/',
      rotating: true,
    },
  },
  () => ({
    authorizationUrl: 'https://www.pinterest.com/oauth/',
    tokenUrl: 'https://api.pinterest.com/v5/oauth/token',
    refreshUrl: 'https://api.pinterest.com/v5/oauth/token',
    baseUrl: 'https://api.pinterest.com/v5/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://api.pinterest.com/v5/user_account',
    profile: (raw) =>
      toProfile('pinterest', raw, {
        id: raw.id ?? raw.username,
        name: raw.business_name ?? raw.username,
        avatarUrl: raw.profile_image,
      }),
  }),
);

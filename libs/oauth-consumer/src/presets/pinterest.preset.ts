import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `pinterest` preset.
 * @publicApi
 */
export type PinterestPresetOptions = PresetOptions;

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

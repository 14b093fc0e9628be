import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `miro` preset.
 * @publicApi
 */
export type MiroPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.miro.com/reference/get-new-access-token-using-refresh-token: miro.com/oauth/authorize (response_type=code, optional team_id), api.miro.com/v1/oauth/token with client id and secret in the form body; with expiring
// tokens enabled on the app, 1-hour access tokens and 60-day refresh tokens (each refresh returns a new pair), otherwise tokens last until uninstall; token context at /v1/oauth-token.
/**
 * Miro (REST API): credentials from a Miro Developer team → Your apps; scopes `boards:read`, `boards:write`, `identity:read`.
 * @publicApi
 */
export const miro = definePreset<MiroPresetOptions>(
  {
    name: 'miro',
    title: 'Miro',
    console:
      'miro.com → your Developer team → Profile settings → Your apps → your app (client id and secret, redirect URI, scopes)',
    scopes:
      '`boards:read`, `boards:write`, `identity:read`, `team:read`... (chosen on the app).',
    defaultScope: ['boards:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.miro.com/reference/get-new-access-token-using-refresh-token',
      rotating: true,
    },
    notes:
      'Refresh tokens come only when "expire user authorization token" is enabled on the app; otherwise the token lasts until the app is uninstalled. The profile is the token context (`/v1/oauth-token`): no email.',
  },
  () => ({
    authorizationUrl: 'https://miro.com/oauth/authorize',
    tokenUrl: 'https://api.miro.com/v1/oauth/token',
    refreshUrl: 'https://api.miro.com/v1/oauth/token',
    baseUrl: 'https://api.miro.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.miro.com/v1/oauth-token',
    profile: (raw) =>
      toProfile('miro', raw, {
        id: pick(raw, 'user.id'),
        name: pick(raw, 'user.name'),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `todoist` preset.
 * @publicApi
 */
export type TodoistPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://doist.github.io/todoist-sdk-typescript/api/functions/refreshAuthToken: todoist.com/oauth/authorize and /oauth/access_token (comma-joined scopes), refresh tokens for
// new apps (rotated on each refresh; older apps keep long-lived tokens), RFC 7009 revocation at api.todoist.com/api/v1/revoke.
/**
 * Todoist: credentials from developer.todoist.com/appconsole.html; scopes `data:read`, `data:read_write`, `task:add`, `data:delete` (comma-separated).
 * @publicApi
 */
export const todoist = definePreset<TodoistPresetOptions>(
  {
    name: 'todoist',
    title: 'Todoist',
    console: 'developer.todoist.com/appconsole.html (App Management Console)',
    scopes:
      '`data:read`, `data:read_write`, `task:add`, `data:delete`, `project:delete`.',
    defaultScope: ['data:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://doist.github.io/todoist-sdk-typescript/api/functions/refreshAuthToken',
      rotating: true,
      notes:
        'Fixed: Todoist now issues refresh tokens (rotating) for new apps and has an RFC 7009 revocation endpoint; the preset refreshes and revokes.',
    },
    notes:
      'Apps created since refresh tokens arrived get expiring tokens with rotating refresh tokens; older apps keep tokens that do not expire, without refresh.',
  },
  () => ({
    authorizationUrl: 'https://todoist.com/oauth/authorize',
    tokenUrl: 'https://todoist.com/oauth/access_token',
    refreshUrl: 'https://todoist.com/oauth/access_token',
    revocationUrl: 'https://api.todoist.com/api/v1/revoke',
    baseUrl: 'https://api.todoist.com/api/v1/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.todoist.com/api/v1/user',
    profile: (raw) =>
      toProfile('todoist', raw, {
        id: raw.id,
        name: raw.full_name,
        email: raw.email,
        avatarUrl: raw.avatar_big ?? raw.avatar_medium,
      }),
  }),
);

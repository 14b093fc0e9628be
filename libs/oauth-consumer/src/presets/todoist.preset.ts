import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `todoist` preset.
 * @publicApi
 */
export type TodoistPresetOptions = PresetOptions;

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
    notes: 'Tokens do not expire and there are no refresh tokens.',
  },
  () => ({
    authorizationUrl: 'https://todoist.com/oauth/authorize',
    tokenUrl: 'https://todoist.com/oauth/access_token',
    refreshUrl: false,
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

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `webex` preset.
 * @publicApi
 */
export type WebexPresetOptions = PresetOptions;

/**
 * Webex: credentials from developer.webex.com → My Webex Apps → Create an Integration; scopes `spark:people_read`, `spark:messages_read`, `meeting:schedules_read`...
 * @publicApi
 */
export const webex = definePreset<WebexPresetOptions>(
  {
    name: 'webex',
    title: 'Webex',
    console: 'developer.webex.com → My Webex Apps → Create an Integration',
    scopes:
      '`spark:people_read` for the profile; `spark:messages_read`, `spark:rooms_read`, `meeting:schedules_read`...',
    defaultScope: ['spark:people_read'],
    options: {},
    flaskDance: false,
  },
  () => ({
    authorizationUrl: 'https://webexapis.com/v1/authorize',
    tokenUrl: 'https://webexapis.com/v1/access_token',
    refreshUrl: 'https://webexapis.com/v1/access_token',
    baseUrl: 'https://webexapis.com/v1/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://webexapis.com/v1/people/me',
    profile: (raw) =>
      toProfile('webex', raw, {
        id: raw.id,
        name: raw.displayName,
        email: pick(raw, 'emails.0'),
        avatarUrl: raw.avatar,
      }),
  }),
);

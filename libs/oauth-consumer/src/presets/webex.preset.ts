import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `webex` preset.
 * @publicApi
 */
export type WebexPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.webex.com/docs/integrations: Integrations use the authorization code flow (with or without PKCE) at webexapis.com/v1/authorize, the code exchanged at webexapis.com/v1/access_token with
// client id and secret in the form, refresh tokens from the same endpoint, space-separated scopes such as spark:people_read; Login with Webex adds OpenID Connect.
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
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.webex.com/docs/integrations',
    },
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

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `meetup` preset.
 * @publicApi
 */
export type MeetupPresetOptions = PresetOptions;

/**
 * Meetup: credentials from meetup.com/api/oauth/list (OAuth consumers, Meetup Pro); scopes `basic`, `event_management`, `group_edit`...
 * @publicApi
 */
export const meetup = definePreset<MeetupPresetOptions>(
  {
    name: 'meetup',
    title: 'Meetup',
    console: 'meetup.com/api/oauth/list (OAuth consumers; needs Meetup Pro)',
    scopes: '`basic`; `event_management`, `group_edit` and others for writes.',
    defaultScope: ['basic'],
    options: {},
    flaskDance: true,
    notes:
      'The API is GraphQL (`POST gql`): there is no REST user endpoint, so no `profile`.',
  },
  () => ({
    authorizationUrl: 'https://secure.meetup.com/oauth2/authorize',
    tokenUrl: 'https://secure.meetup.com/oauth2/access',
    refreshUrl: 'https://secure.meetup.com/oauth2/access',
    baseUrl: 'https://api.meetup.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
  }),
);

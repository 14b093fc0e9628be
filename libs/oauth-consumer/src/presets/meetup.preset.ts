import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `meetup` preset.
 * @publicApi
 */
export type MeetupPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://www.meetup.com/api/authentication/: secure.meetup.com/oauth2/authorize and /oauth2/access (server flow, bearer tokens),
// the API is GraphQL at api.meetup.com/gql; no PKCE or revocation documented.
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
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://www.meetup.com/api/authentication/',
    },
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

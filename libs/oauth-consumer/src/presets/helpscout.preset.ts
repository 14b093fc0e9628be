import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `helpscout` preset.
 * @publicApi
 */
export type HelpScoutPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.helpscout.com/mailbox-api/overview/authentication: authorization code flow: secure.helpscout.net/authentication/authorizeClientApplication, POST api.helpscout.net/v2/oauth2/token (client_id
// and client_secret in the body, form or JSON) for the code and refresh_token grants; 2-day access tokens with refresh tokens; no scopes, PKCE or revocation.
/**
 * Help Scout (Mailbox API 2.0): app from Your Profile → My Apps; no scopes.
 * @publicApi
 */
export const helpscout = definePreset<HelpScoutPresetOptions>(
  {
    name: 'helpscout',
    title: 'Help Scout',
    console:
      'Help Scout → Your Profile → My Apps → Create My App (app ID, app secret, redirection URL)',
    scopes: 'none: the token acts as the Help Scout user who authorized it.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.helpscout.com/mailbox-api/overview/authentication',
    },
  },
  () => ({
    authorizationUrl:
      'https://secure.helpscout.net/authentication/authorizeClientApplication',
    tokenUrl: 'https://api.helpscout.net/v2/oauth2/token',
    refreshUrl: 'https://api.helpscout.net/v2/oauth2/token',
    baseUrl: 'https://api.helpscout.net/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.helpscout.net/v2/users/me',
    profile: (raw) =>
      toProfile('helpscout', raw, {
        id: raw.id,
        name: joined(raw.firstName, raw.lastName),
        email: raw.email,
        avatarUrl: raw.photoUrl,
      }),
  }),
);

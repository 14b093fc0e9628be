import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `webflow` preset.
 * @publicApi
 */
export type WebflowPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.webflow.com/data/reference/oauth-app: authorization code grant for Data Client apps (authorization link, token request, revoke), space-separated
// site-level scopes from the Scopes reference, authorized_user:read for GET /v2/token/authorized_by; no refresh tokens.
/**
 * Webflow (Data API v2): a Data Client app in the Webflow workspace settings; scopes `sites:read`, `cms:read`, `authorized_user:read`...; tokens do not expire.
 * @publicApi
 */
export const webflow = definePreset<WebflowPresetOptions>(
  {
    name: 'webflow',
    title: 'Webflow',
    console:
      'Webflow → Workspace settings → Apps & Integrations → Develop → Create an App (Data Client: client id and secret, redirect URI, scopes)',
    scopes:
      '`authorized_user:read` for the profile; `sites:read`, `cms:read`, `cms:write`, `forms:read`, `assets:write`... (site-level scopes).',
    defaultScope: ['authorized_user:read', 'sites:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.webflow.com/data/reference/oauth-app',
      notes:
        'The Scopes and Get Authorization User Info references (developers.webflow.com/data/reference/scopes) were checked too.',
    },
    notes: 'Access tokens do not expire and come without refresh tokens.',
  },
  () => ({
    authorizationUrl: 'https://webflow.com/oauth/authorize',
    tokenUrl: 'https://api.webflow.com/oauth/access_token',
    refreshUrl: false,
    baseUrl: 'https://api.webflow.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.webflow.com/v2/token/authorized_by',
    profile: (raw) =>
      toProfile('webflow', raw, {
        id: raw.id,
        name: joined(raw.firstName, raw.lastName),
        email: raw.email,
      }),
  }),
);

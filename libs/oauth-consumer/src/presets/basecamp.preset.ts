import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, pick, toProfile } from './profile.util';

/**
 * Options of the `basecamp` preset.
 * @publicApi
 */
export type BasecampPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://github.com/basecamp/bc-api/blob/master/sections/authentication.md: launchpad.37signals.com/authorization/new (response_type=code; legacy type=web_server still accepted), POST
// /authorization/token with grant_type, client_id, client_secret (body) for code and refresh; 2-week access tokens with refresh tokens; no scopes, PKCE or revocation.
/**
 * Basecamp (37signals Launchpad): app from launchpad.37signals.com/integrations; no scopes; API calls go to the account `href` from the authorization info.
 * @publicApi
 */
export const basecamp = definePreset<BasecampPresetOptions>(
  {
    name: 'basecamp',
    title: 'Basecamp',
    console:
      'launchpad.37signals.com/integrations → Register another application (client ID, client secret, redirect URI)',
    scopes: 'none: a token reaches every Basecamp account the user can access.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://github.com/basecamp/bc-api/blob/master/sections/authentication.md',
    },
    notes:
      'Basecamp does not verify e-mail addresses: do not link accounts by e-mail. API calls go to the `href` of the account with `product: "bc3"` in `/authorization.json` (e.g. `https://3.basecampapi.com/99999999/projects.json`) and must send a `User-Agent` naming your app and a contact, such as `MyApp (you@example.com)`: set it in the blueprint `headers`.',
  },
  () => ({
    authorizationUrl: 'https://launchpad.37signals.com/authorization/new',
    tokenUrl: 'https://launchpad.37signals.com/authorization/token',
    refreshUrl: 'https://launchpad.37signals.com/authorization/token',
    baseUrl: 'https://launchpad.37signals.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://launchpad.37signals.com/authorization.json',
    profile: (raw) =>
      toProfile('basecamp', raw, {
        id: pick(raw, 'identity.id'),
        name: joined(
          pick(raw, 'identity.first_name'),
          pick(raw, 'identity.last_name'),
        ),
        email: pick(raw, 'identity.email_address'),
      }),
  }),
);

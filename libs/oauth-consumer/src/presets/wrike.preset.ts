import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, pick, toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `wrike` preset.
 * @publicApi
 */
export type WrikePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.wrike.com/oauth-20-authorization: login.wrike.com/oauth2/authorize/v4, POST /oauth2/token (client_id and client_secret in the body) for the code and refresh_token
// grants, 1-hour access tokens; the token answer names the account `host`; comma-separated scopes; no PKCE or revocation documented.
/**
 * Wrike (API v4): app from Wrike Apps & Integrations; scopes `Default`, `wsReadOnly`, `wsReadWrite`.
 * @publicApi
 */
export const wrike = definePreset<WrikePresetOptions>(
  {
    name: 'wrike',
    title: 'Wrike',
    console:
      'Wrike → Apps & Integrations → API → create an app (client ID, client secret, redirect URI)',
    scopes:
      '`Default`, `wsReadOnly`, `wsReadWrite`, `amReadOnlyUser`, `amReadWriteUser`, `amReadOnlyGroup`… (comma-separated).',
    defaultScope: ['Default'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.wrike.com/oauth-20-authorization',
      notes:
        'Scopes per https://developers.wrike.com/overview; refresh parameters as in the v4 guide.',
    },
    notes:
      'The token answer carries `host` (e.g. `www.wrike.com`, `app-eu.wrike.com` for the EU data center): accounts outside `www.wrike.com` need absolute URLs `https://{host}/api/v4/…` in `blueprint.fetch()`.',
  },
  () => ({
    authorizationUrl: 'https://login.wrike.com/oauth2/authorize/v4',
    tokenUrl: 'https://login.wrike.com/oauth2/token',
    refreshUrl: 'https://login.wrike.com/oauth2/token',
    baseUrl: 'https://www.wrike.com/api/v4/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://www.wrike.com/api/v4/contacts?me=true',
    profile: (raw) =>
      toProfile('wrike', raw, {
        id: pick(raw, 'data.0.id'),
        name: joined(
          pick(raw, 'data.0.firstName'),
          pick(raw, 'data.0.lastName'),
        ),
        email: pick(raw, 'data.0.profiles.0.email'),
        avatarUrl: pick(raw, 'data.0.avatarUrl'),
      }),
  }),
);

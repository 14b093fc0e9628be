import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `monday` preset.
 * @publicApi
 */
export type MondayPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.monday.com/apps/docs/oauth: auth.monday.com/oauth2/authorize and a POST to auth.monday.com/oauth2/token, space-separated scopes configured on the app (me:read,
// boards:read...); the token is valid until the user uninstalls the app, so there is no refresh; no PKCE or revocation documented.
/**
 * monday.com: credentials from the monday Developer Center; scopes `me:read`, `boards:read`...; tokens last until the app is uninstalled.
 * @publicApi
 */
export const monday = definePreset<MondayPresetOptions>(
  {
    name: 'monday',
    title: 'monday.com',
    console:
      'monday.com → avatar → Developers → your app → OAuth (client id and secret, scopes, redirect URLs)',
    scopes:
      '`me:read`, `boards:read`, `boards:write`, `workspaces:read`, `updates:write`... (also configured on the app).',
    defaultScope: ['me:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.monday.com/apps/docs/oauth',
    },
    notes:
      'The API is GraphQL (`POST https://api.monday.com/v2`): there is no REST user endpoint, so no `profile`. Tokens last until the app is uninstalled.',
  },
  () => ({
    authorizationUrl: 'https://auth.monday.com/oauth2/authorize',
    tokenUrl: 'https://auth.monday.com/oauth2/token',
    refreshUrl: false,
    baseUrl: 'https://api.monday.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
  }),
);

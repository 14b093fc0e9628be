import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `clickup` preset.
 * @publicApi
 */
export type ClickUpPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://clickup.com/api/readme_documentation/v2.0/getting_started/authentication/: authorization code grant, authorization at app.clickup.com/api (client_id, redirect_uri, state), token at
// api.clickup.com/api/v2/oauth/token; no scopes (Workspaces picked by the user), tokens sent bare in the Authorization header and currently not expiring; no refresh or revocation.
/**
 * ClickUp: credentials from ClickUp → Settings → Apps; no scopes (the user picks Workspaces); tokens do not expire.
 * @publicApi
 */
export const clickup = definePreset<ClickUpPresetOptions>(
  {
    name: 'clickup',
    title: 'ClickUp',
    console:
      'ClickUp → Settings → Apps → Create new app (client id and secret, redirect URL)',
    scopes:
      'none: the user picks the Workspaces to authorize; the token acts with their permissions.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://clickup.com/api/readme_documentation/v2.0/getting_started/authentication/',
    },
    notes:
      'The API takes the token bare in `Authorization` (no `Bearer`), which `blueprint.fetch()` sends. Tokens do not expire.',
  },
  () => ({
    authorizationUrl: 'https://app.clickup.com/api',
    tokenUrl: 'https://api.clickup.com/api/v2/oauth/token',
    refreshUrl: false,
    baseUrl: 'https://api.clickup.com/api/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    apiAuthorization: (token) => ({ authorization: token.access_token }),
    userInfoUrl: 'https://api.clickup.com/api/v2/user',
    profile: (raw) =>
      toProfile('clickup', raw, {
        id: pick(raw, 'user.id'),
        name: pick(raw, 'user.username'),
        email: pick(raw, 'user.email'),
        avatarUrl: pick(raw, 'user.profilePicture'),
      }),
  }),
);

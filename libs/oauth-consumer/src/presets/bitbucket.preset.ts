import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { renameField } from './token-response.util';

/**
 * Options of the `bitbucket` preset.
 * @publicApi
 */
export type BitbucketPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.atlassian.com/cloud/bitbucket/oauth-2: bitbucket.org/site/oauth2/authorize and /site/oauth2/access_token with the consumer key and secret as Basic
// credentials, for codes and refresh tokens; scopes come from the consumer's settings; no PKCE or revocation documented.
/**
 * Bitbucket Cloud: credentials from Workspace settings → OAuth consumers; scopes are set on the consumer (`account`, `email`, `repository`).
 * @publicApi
 */
export const bitbucket = definePreset<BitbucketPresetOptions>(
  {
    name: 'bitbucket',
    title: 'Bitbucket Cloud',
    console: 'bitbucket.org → Workspace settings → OAuth consumers',
    scopes:
      'set on the consumer (`account`, `email`, `repository`, `pullrequest`); none are sent.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2',
    },
    notes:
      'The email address needs `GET user/emails` (scope `email`). The token response names the granted scopes `scopes`: normalized to `scope`.',
  },
  () => ({
    authorizationUrl: 'https://bitbucket.org/site/oauth2/authorize',
    tokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
    refreshUrl: 'https://bitbucket.org/site/oauth2/access_token',
    baseUrl: 'https://api.bitbucket.org/2.0/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    tokenResponse: renameField('scopes', 'scope'),
    userInfoUrl: 'https://api.bitbucket.org/2.0/user',
    profile: (raw) =>
      toProfile('bitbucket', raw, {
        id: raw.uuid ?? raw.account_id,
        name: raw.display_name ?? raw.username,
        avatarUrl: pick(raw, 'links.avatar.href'),
      }),
  }),
);

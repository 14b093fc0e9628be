import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { withoutFalseIdToken } from './token-response.util';

/**
 * Options of the `tumblr` preset.
 * @publicApi
 */
export type TumblrPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://github.com/tumblr/docs/blob/master/api.md: OAuth2 section: www.tumblr.com/oauth2/authorize (space-delimited scope and state required), POST api.tumblr.com/v2/oauth2/token with client_id and
// client_secret in the body; `offline_access` brings a refresh token and each refresh returns a new one (rotating); no PKCE or revocation documented.
/**
 * Tumblr (API v2, OAuth 2): application from tumblr.com/oauth/apps with an OAuth2 redirect URL; scopes `basic`, `write`, `offline_access`.
 * @publicApi
 */
export const tumblr = definePreset<TumblrPresetOptions>(
  {
    name: 'tumblr',
    title: 'Tumblr',
    console:
      'tumblr.com/oauth/apps → Register application (OAuth consumer key and secret; set the OAuth2 redirect URL)',
    scopes: '`basic` (read), `write`; `offline_access` for refresh tokens.',
    defaultScope: ['basic', 'offline_access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://github.com/tumblr/docs/blob/master/api.md',
      rotating: true,
      notes:
        'The documentation of www.tumblr.com/docs/en/api/v2 is published from this repository.',
    },
    notes:
      'Tumblr users have no numeric id: the profile id is the account name (`response.user.name`), and each blog has its own `uuid`. The token answer carries `id_token: false`, which the preset drops.',
  },
  () => ({
    authorizationUrl: 'https://www.tumblr.com/oauth2/authorize',
    tokenUrl: 'https://api.tumblr.com/v2/oauth2/token',
    refreshUrl: 'https://api.tumblr.com/v2/oauth2/token',
    baseUrl: 'https://api.tumblr.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    tokenResponse: withoutFalseIdToken,
    userInfoUrl: 'https://api.tumblr.com/v2/user/info',
    profile: (raw) =>
      toProfile('tumblr', raw, {
        id: pick(raw, 'response.user.name'),
        name: pick(raw, 'response.user.name'),
        avatarUrl: pick(raw, 'response.user.blogs.0.avatar.0.url'),
      }),
  }),
);

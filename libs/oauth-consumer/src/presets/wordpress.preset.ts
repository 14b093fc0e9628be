import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `wordpress` preset.
 * @publicApi
 */
export interface WordPressPresetOptions extends PresetOptions {
  /** Pre-select a blog (`blog`, its URL or id). */
  blog?: string;
}

// Checked 2026-12-01 against https://developer.wordpress.com/docs/api/oauth2/: public-api.wordpress.com/oauth2/authorize and /oauth2/token for WordPress.com and Jetpack sites, tokens per blog (blog
// parameter) or global (scope=global), space-separated scopes (auth, posts, media...); no refresh tokens, no PKCE or revocation documented.
/**
 * WordPress.com (and Jetpack sites): credentials from developer.wordpress.com/apps; scopes `auth` (profile), `global`, or none for one blog.
 * @publicApi
 */
export const wordpress = definePreset<WordPressPresetOptions>(
  {
    name: 'wordpress',
    title: 'WordPress.com',
    console: 'developer.wordpress.com/apps',
    scopes:
      '`auth` for the profile only; `global` for every blog; none for the one blog the user picks.',
    defaultScope: ['auth'],
    options: { blog: 'pre-selected blog (`blog`)' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.wordpress.com/docs/api/oauth2/',
    },
    notes:
      'Tokens do not expire and there are no refresh tokens; the token response names `blog_id` and `blog_url`.',
  },
  (options) => ({
    authorizationUrl: 'https://public-api.wordpress.com/oauth2/authorize',
    tokenUrl: 'https://public-api.wordpress.com/oauth2/token',
    refreshUrl: false,
    baseUrl: 'https://public-api.wordpress.com/rest/v1.1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({ blog: options.blog }),
    userInfoUrl: 'https://public-api.wordpress.com/rest/v1.1/me',
    profile: (raw) =>
      toProfile('wordpress', raw, {
        id: raw.ID,
        name: raw.display_name ?? raw.username,
        email: raw.email,
        avatarUrl: raw.avatar_URL,
      }),
  }),
);

import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `github` preset.
 * @publicApi
 */
export interface GitHubPresetOptions extends PresetOptions {
  /** `false` hides the sign-up option for visitors without a GitHub account. */
  allowSignup?: boolean;
}

// Checked 2026-12-01 against https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens: github.com/login/oauth/authorize and /login/oauth/access_token (client secret in the body, Accept: application/json,
// errors with HTTP 200), comma-separated granted scopes; OAuth App tokens never expire, GitHub App user tokens expire after 8 hours with single-use 6-month refresh tokens; no RFC 7009 revocation.
/**
 * GitHub: credentials from GitHub → Settings → Developer settings → OAuth Apps (or GitHub Apps); scopes `read:user`, `user:email`, `repo` as needed.
 * @publicApi
 */
export const github = definePreset<GitHubPresetOptions>(
  {
    name: 'github',
    title: 'GitHub',
    console:
      'GitHub → Settings → Developer settings → OAuth Apps (or GitHub Apps)',
    scopes:
      '`read:user` and `user:email` for the profile; `repo`, `gist`, `workflow` for more.',
    defaultScope: ['read:user', 'user:email'],
    options: { allowSignup: '`false` hides sign-up (`allow_signup=false`)' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens',
      rotating: true,
    },
    notes:
      'OAuth App tokens do not expire and come without refresh tokens; GitHub Apps with expiring user tokens do refresh. The granted scopes come back comma-separated: normalized to spaces.',
  },
  (options) => ({
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    refreshUrl: 'https://github.com/login/oauth/access_token',
    baseUrl: 'https://api.github.com/',
    headers: {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    },
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      allow_signup: options.allowSignup === false ? 'false' : undefined,
    }),
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://api.github.com/user',
    profile: (raw) =>
      toProfile('github', raw, {
        id: raw.id,
        name: raw.name ?? raw.login,
        email: raw.email,
        avatarUrl: raw.avatar_url,
      }),
  }),
);

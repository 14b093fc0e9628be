import { definePreset, hostOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `gitlab` preset.
 * @publicApi
 */
export interface GitLabPresetOptions extends PresetOptions {
  /** A self-managed GitLab's host (default `gitlab.com`). */
  hostname?: string;
}

// Checked 2026-12-01 against https://docs.gitlab.com/api/oauth2/: {host}/oauth/authorize, /oauth/token and /oauth/revoke (doorkeeper), authorization code with PKCE recommended for every
// app, space-separated scopes, 2-hour access tokens with refresh tokens replaced on each refresh; /oauth/userinfo.
/**
 * GitLab (gitlab.com or self-managed): credentials from User settings → Applications (or Admin → Applications); scopes `read_user`, `api`, `openid`.
 * @publicApi
 */
export const gitlab = definePreset<GitLabPresetOptions>(
  {
    name: 'gitlab',
    title: 'GitLab',
    console:
      'GitLab → User settings → Applications (or Admin area → Applications)',
    scopes:
      '`read_user` for the profile; `api` or `read_api` for the API; `openid` for an id_token.',
    defaultScope: ['read_user'],
    options: { hostname: 'a self-managed instance (default `gitlab.com`)' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.gitlab.com/api/oauth2/',
      rotating: true,
    },
  },
  (options) => {
    const host = hostOption(
      'gitlab',
      'hostname',
      options.hostname ?? 'gitlab.com',
      "give your GitLab's host, e.g. 'gitlab.example.com'",
    );
    return {
      authorizationUrl: `https://${host}/oauth/authorize`,
      tokenUrl: `https://${host}/oauth/token`,
      refreshUrl: `https://${host}/oauth/token`,
      revocationUrl: `https://${host}/oauth/revoke`,
      baseUrl: `https://${host}/api/v4/`,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `https://${host}/api/v4/user`,
      profile: (raw) =>
        toProfile('gitlab', raw, {
          id: raw.id,
          name: raw.name ?? raw.username,
          email: raw.email ?? raw.public_email,
          avatarUrl: raw.avatar_url,
        }),
    };
  },
);

import { giteaFamilyDefaults } from './gitea-family.util';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `gitea` preset.
 * @publicApi
 */
export interface GiteaPresetOptions extends PresetOptions {
  /** The Gitea server's root URL (default `https://gitea.com`). */
  baseUrl?: string;
}

// Checked 2026-12-01 against https://docs.gitea.com/development/oauth2-provider: {baseUrl}/login/oauth/authorize, /login/oauth/access_token (authorization code with PKCE, refresh tokens), /login/oauth/userinfo
// and OpenID Connect discovery; confidential and public clients; space-separated scopes; no RFC 7009 revocation documented.
/**
 * Gitea (OpenID Connect, any instance): credentials from {baseUrl}/user/settings/applications; scopes `openid profile email`, API scopes such as `read:repository`, `read:user`.
 * @publicApi
 */
export const gitea = definePreset<GiteaPresetOptions>(
  {
    name: 'gitea',
    title: 'Gitea',
    console:
      'your Gitea instance → Settings → Applications → Manage OAuth2 applications',
    scopes:
      '`openid profile email` for sign-in; API scopes such as `read:user`, `read:repository`, `write:issue`.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      baseUrl: 'the instance root URL (default `https://gitea.com`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.gitea.com/development/oauth2-provider',
    },
    notes:
      'Works with any Gitea instance (`baseUrl`); access tokens expire and come with refresh tokens; the API lives at `{baseUrl}/api/v1/`. Forgejo has its own preset.',
  },
  (options) =>
    giteaFamilyDefaults('gitea', options.baseUrl, 'https://gitea.com'),
);

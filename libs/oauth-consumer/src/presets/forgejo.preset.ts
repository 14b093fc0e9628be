import { giteaFamilyDefaults } from './gitea-family.util';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `forgejo` preset.
 * @publicApi
 */
export interface ForgejoPresetOptions extends PresetOptions {
  /** The Forgejo server's root URL (default `https://codeberg.org`). */
  baseUrl?: string;
}

// Checked 2026-12-01 against https://forgejo.org/docs/v1.21/user/oauth2-provider: {baseUrl}/login/oauth/authorize, /login/oauth/access_token (authorization code with PKCE, refresh tokens), /login/oauth/userinfo
// and OpenID Connect discovery; confidential and public clients; space-separated scopes; no RFC 7009 revocation documented.
/**
 * Forgejo (OpenID Connect, any instance): credentials from {baseUrl}/user/settings/applications; scopes `openid profile email`, API scopes such as `read:repository`, `read:user`.
 * @publicApi
 */
export const forgejo = definePreset<ForgejoPresetOptions>(
  {
    name: 'forgejo',
    title: 'Forgejo',
    console:
      'your Forgejo instance → Settings → Applications → Manage OAuth2 applications',
    scopes:
      '`openid profile email` for sign-in; API scopes such as `read:user`, `read:repository`, `write:issue`.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      baseUrl: 'the instance root URL (default `https://codeberg.org`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://forgejo.org/docs/v1.21/user/oauth2-provider',
    },
    notes:
      'Works with any Forgejo instance; the default is Codeberg (`https://codeberg.org`). Access tokens expire and come with refresh tokens; the API lives at `{baseUrl}/api/v1/`.',
  },
  (options) =>
    giteaFamilyDefaults('forgejo', options.baseUrl, 'https://codeberg.org'),
);

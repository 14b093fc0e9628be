import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `linkedin` preset.
 * @publicApi
 */
export type LinkedInPresetOptions = PresetOptions;

/**
 * LinkedIn (Sign In with LinkedIn using OpenID Connect): credentials from linkedin.com/developers → My apps → Auth; scopes `openid profile email`.
 * @publicApi
 */
export const linkedin = definePreset<LinkedInPresetOptions>(
  {
    name: 'linkedin',
    title: 'LinkedIn',
    console: 'linkedin.com/developers/apps → your app → Auth',
    scopes:
      '`openid profile email` (product "Sign In with LinkedIn using OpenID Connect"); `w_member_social` to post.',
    defaultScope: ['openid', 'profile', 'email'],
    options: {},
    flaskDance: true,
    notes: 'Refresh tokens are only issued to approved partner apps.',
  },
  () => ({
    authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
    tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    refreshUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    revocationUrl: 'https://www.linkedin.com/oauth/v2/revoke',
    baseUrl: 'https://api.linkedin.com/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.linkedin.com/v2/userinfo',
    profile: (raw) =>
      toProfile('linkedin', raw, {
        id: raw.sub,
        name: raw.name,
        email: raw.email,
        avatarUrl: raw.picture,
      }),
  }),
);

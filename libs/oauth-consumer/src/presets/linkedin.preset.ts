import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `linkedin` preset.
 * @publicApi
 */
export type LinkedInPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2: OpenID Connect with openid profile email (space-separated) at www.linkedin.com/oauth/v2/authorization and
// /oauth/v2/accessToken, id_token and /v2/userinfo; PKCE only for native apps LinkedIn enables, so off; refresh tokens only for partners with programmatic refresh (60-day tokens otherwise).
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
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2',
    },
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

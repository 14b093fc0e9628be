import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `amazon` preset.
 * @publicApi
 */
export type AmazonPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html: www.amazon.com/ap/oa with space-separated scopes (profile, profile:user_id, postal_code),
// code_challenge (PKCE) recommended, api.amazon.com/auth/o2/token with form credentials, access and refresh tokens; no revocation endpoint.
/**
 * Login with Amazon: credentials from developer.amazon.com → Login with Amazon → Security profiles; scopes `profile`, `profile:user_id`, `postal_code`.
 * @publicApi
 */
export const amazon = definePreset<AmazonPresetOptions>(
  {
    name: 'amazon',
    title: 'Amazon (Login with Amazon)',
    console:
      'developer.amazon.com → Login with Amazon → Security profiles → Web settings',
    scopes:
      '`profile` (name, email, user id); `profile:user_id` for the id alone; `postal_code`.',
    defaultScope: ['profile'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html',
    },
  },
  () => ({
    authorizationUrl: 'https://www.amazon.com/ap/oa',
    tokenUrl: 'https://api.amazon.com/auth/o2/token',
    refreshUrl: 'https://api.amazon.com/auth/o2/token',
    baseUrl: 'https://api.amazon.com/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.amazon.com/user/profile',
    profile: (raw) =>
      toProfile('amazon', raw, {
        id: raw.user_id,
        name: raw.name,
        email: raw.email,
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `etsy` preset.
 * @publicApi
 */
export type EtsyPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.etsy.com/documentation/essentials/authentication: www.etsy.com/oauth/connect with space-separated scopes and a required
// PKCE pair (S256), api.etsy.com/v3/public/oauth/token for codes and refresh tokens with the app keystring as client_id; API calls carry the keystring in x-api-key.
/**
 * Etsy (Open API v3): the app keystring from etsy.com/developers/your-apps is the client id; PKCE required; scopes `profile_r`, `email_r`, `listings_r`, `transactions_r`...
 * @publicApi
 */
export const etsy = definePreset<EtsyPresetOptions>(
  {
    name: 'etsy',
    title: 'Etsy',
    console:
      'etsy.com/developers/your-apps → your app (API key keystring as client id, shared secret; callback URLs)',
    scopes:
      '`profile_r`, `email_r`, `shops_r`, `listings_r`, `listings_w`, `transactions_r`... (space-separated, at least one).',
    defaultScope: ['profile_r', 'email_r'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.etsy.com/documentation/essentials/authentication',
    },
    notes:
      'The keystring is also sent as `x-api-key` on every API call. The client secret is optional: Etsy authenticates the code exchange by PKCE.',
  },
  (options) => ({
    authorizationUrl: 'https://www.etsy.com/oauth/connect',
    tokenUrl: 'https://api.etsy.com/v3/public/oauth/token',
    refreshUrl: 'https://api.etsy.com/v3/public/oauth/token',
    baseUrl: 'https://openapi.etsy.com/v3/',
    headers: { 'x-api-key': options.clientId },
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://openapi.etsy.com/v3/application/users/me',
    profile: (raw) =>
      toProfile('etsy', raw, {
        id: raw.user_id,
      }),
  }),
);

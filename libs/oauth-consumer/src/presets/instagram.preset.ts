import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import {
  normalizeWith,
  renameField,
  spaceSeparatedScope,
  unwrapToken,
} from './token-response.util';

/**
 * Options of the `instagram` preset.
 * @publicApi
 */
export type InstagramPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-instagram-login/business-login: `instagram_business_*` scopes,
// a 1-hour token from api.instagram.com/oauth/access_token, extended to 60 days with `ig_exchange_token` and renewed with `ig_refresh_token` (not RFC 6749 refresh).
/**
 * Instagram API with Instagram Login (professional accounts): credentials from developers.facebook.com → your app → Instagram → API setup; scopes `instagram_business_basic`...
 * @publicApi
 */
export const instagram = definePreset<InstagramPresetOptions>(
  {
    name: 'instagram',
    title: 'Instagram',
    console:
      'developers.facebook.com → your app → Instagram → API setup with Instagram login',
    scopes:
      '`instagram_business_basic`; `instagram_business_content_publish`, `instagram_business_manage_messages`...',
    defaultScope: ['instagram_business_basic'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-instagram-login/business-login',
    },
    notes:
      'Business and creator accounts only (Basic Display was retired in Dec. 2024). The code exchange answers `{ data: [{ access_token, user_id, permissions }] }`: normalized. Short-lived tokens (1 h) are extended with `ig_exchange_token`, not a refresh token.',
  },
  () => ({
    authorizationUrl: 'https://www.instagram.com/oauth/authorize',
    tokenUrl: 'https://api.instagram.com/oauth/access_token',
    refreshUrl: false,
    baseUrl: 'https://graph.instagram.com/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    tokenResponse: normalizeWith(
      unwrapToken('data'),
      renameField('permissions', 'scope'),
      spaceSeparatedScope,
    ),
    userInfoUrl:
      'https://graph.instagram.com/me?fields=user_id,username,name,profile_picture_url',
    profile: (raw) =>
      toProfile('instagram', raw, {
        id: raw.user_id ?? raw.id,
        name: raw.name ?? raw.username,
        avatarUrl: raw.profile_picture_url,
      }),
  }),
);

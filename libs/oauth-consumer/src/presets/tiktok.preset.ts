import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `tiktok` preset. `clientId` is the app's client key.
 * @publicApi
 */
export type TikTokPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.tiktok.com/doc/oauth-user-access-token-management: www.tiktok.com/v2/auth/authorize/ (comma-separated scopes), open.tiktokapis.com/v2/oauth/token/ taking client_key, client_secret, code, grant_type
// and redirect_uri as a form, code_verifier only for mobile and desktop apps, refresh tokens with refresh_expires_in; the response lists granted scopes comma-separated.
/**
 * TikTok Login Kit (web): client key and secret from developers.tiktok.com → Manage apps; scopes `user.info.basic`, `user.info.profile`, `video.list` (comma-separated).
 * @publicApi
 */
export const tiktok = definePreset<TikTokPresetOptions>(
  {
    name: 'tiktok',
    title: 'TikTok',
    console:
      'developers.tiktok.com → Manage apps → your app (client key and client secret)',
    scopes:
      '`user.info.basic` for the profile; `user.info.profile`, `user.info.stats`, `video.list`.',
    defaultScope: ['user.info.basic'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.tiktok.com/doc/oauth-user-access-token-management',
    },
    notes:
      'TikTok names the client id `client_key`: it is sent as `client_key` in the authorization and token requests. No email address is available.',
  },
  (options) => ({
    authorizationUrl: 'https://www.tiktok.com/v2/auth/authorize/',
    tokenUrl: 'https://open.tiktokapis.com/v2/oauth/token/',
    refreshUrl: 'https://open.tiktokapis.com/v2/oauth/token/',
    baseUrl: 'https://open.tiktokapis.com/v2/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: { client_key: options.clientId },
    tokenParams: { client_key: options.clientId },
    refreshParams: { client_key: options.clientId },
    tokenResponse: spaceSeparatedScope,
    userInfoUrl:
      'https://open.tiktokapis.com/v2/user/info/?fields=open_id,union_id,avatar_url,display_name',
    profile: (raw) =>
      toProfile('tiktok', raw, {
        id: pick(raw, 'data.user.open_id'),
        name: pick(raw, 'data.user.display_name'),
        avatarUrl: pick(raw, 'data.user.avatar_url'),
      }),
  }),
);

import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `dropbox` preset.
 * @publicApi
 */
export interface DropboxPresetOptions extends PresetOptions {
  /** Ask for a refresh token (`token_access_type=offline`). */
  offline?: boolean;
  /** Show the approval screen even to users who already approved (`force_reapprove`). */
  forceReapprove?: boolean;
  /** Hide the sign-up link (`disable_signup`). */
  disableSignup?: boolean;
  /** Only accept a `personal` or a `work` account (`require_role`). */
  requireRole?: 'personal' | 'work';
}

// Checked 2026-12-01 against https://developers.dropbox.com/oauth-guide: www.dropbox.com/oauth2/authorize with token_access_type=offline for a refresh token (short-lived access tokens),
// api.dropboxapi.com/oauth2/token, PKCE supported, scopes chosen in the App Console; revocation is an API call (auth/token/revoke), not RFC 7009.
/**
 * Dropbox: credentials from dropbox.com/developers → App Console; scopes are set on the app (e.g. `account_info.read`, `files.content.read`).
 * @publicApi
 */
export const dropbox = definePreset<DropboxPresetOptions>(
  {
    name: 'dropbox',
    title: 'Dropbox',
    console: 'dropbox.com/developers/apps → App Console',
    scopes:
      "set on the app's Permissions tab (`account_info.read`, `files.content.read`...); asking for a subset narrows the token.",
    defaultScope: [],
    options: {
      offline: 'refresh tokens (`token_access_type=offline`)',
      forceReapprove: '`force_reapprove=true`',
      disableSignup: '`disable_signup=true`',
      requireRole: '`personal` or `work` (`require_role`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.dropbox.com/oauth-guide',
    },
    notes:
      'The profile comes from `POST users/get_current_account`; revocation is `POST 2/auth/token/revoke` with the token, not RFC 7009.',
  },
  (options) => ({
    authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
    tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
    refreshUrl: 'https://api.dropboxapi.com/oauth2/token',
    baseUrl: 'https://api.dropboxapi.com/2/',
    userInfoUrl: 'https://api.dropboxapi.com/2/users/get_current_account',
    userInfoMethod: 'POST',
    profile: (raw) =>
      toProfile('dropbox', raw, {
        id: raw.account_id,
        name: pick(raw, 'name.display_name'),
        email: raw.email,
        avatarUrl: raw.profile_photo_url,
      }),
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      token_access_type: options.offline ? 'offline' : undefined,
      force_reapprove: options.forceReapprove ? 'true' : undefined,
      disable_signup: options.disableSignup ? 'true' : undefined,
      require_role: oneOf('dropbox', 'requireRole', options.requireRole, [
        'personal',
        'work',
      ]),
    }),
  }),
);

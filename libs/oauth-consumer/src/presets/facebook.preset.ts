import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import {
  normalizeWith,
  renameField,
  spaceSeparatedScope,
} from './token-response.util';

/**
 * Options of the `facebook` preset.
 * @publicApi
 */
export interface FacebookPresetOptions extends PresetOptions {
  /** Ask again for permissions the user declined (`auth_type=rerequest`). */
  rerequestDeclinedPermissions?: boolean;
  /** Pin a Graph API version (e.g. `v23.0`); unversioned URLs use the oldest available one. */
  apiVersion?: string;
}

// Checked 2026-12-01 against https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow: www.facebook.com/{version}/dialog/oauth with comma-separated permissions and state, code exchanged at
// graph.facebook.com/oauth/access_token with the app secret; no refresh tokens (long-lived tokens by fb_exchange_token instead), no PKCE for web apps in this guide.
/**
 * Facebook Login: credentials from developers.facebook.com → My Apps → App settings → Basic; scopes `public_profile`, `email`.
 * @publicApi
 */
export const facebook = definePreset<FacebookPresetOptions>(
  {
    name: 'facebook',
    title: 'Facebook',
    console: 'developers.facebook.com → My Apps → App settings → Basic',
    scopes: '`public_profile` and `email`; anything else needs App Review.',
    defaultScope: ['public_profile', 'email'],
    options: {
      rerequestDeclinedPermissions: '`auth_type=rerequest`',
      apiVersion: 'a Graph API version such as `v23.0` for every URL',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow',
    },
    notes:
      'No refresh tokens: long-lived tokens last about 60 days, then the user connects again. Old API versions answer `expires` (a string) instead of `expires_in`: normalized.',
  },
  (options) => {
    const version = options.apiVersion;
    if (version !== undefined && !/^v\d+\.\d+$/.test(version)) {
      throw new InvalidOptionsError(
        `facebook(): apiVersion ${JSON.stringify(version)} is not a Graph API version: use e.g. 'v23.0'.`,
      );
    }
    const v = version ? `${version}/` : '';
    return {
      authorizationUrl: `https://www.facebook.com/${v}dialog/oauth`,
      tokenUrl: `https://graph.facebook.com/${v}oauth/access_token`,
      refreshUrl: false,
      baseUrl: `https://graph.facebook.com/${v}`,
      scopeSeparator: ',',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        auth_type: options.rerequestDeclinedPermissions
          ? 'rerequest'
          : undefined,
      }),
      tokenResponse: normalizeWith(
        renameField('expires', 'expires_in'),
        spaceSeparatedScope,
      ),
      userInfoUrl: `https://graph.facebook.com/${v}me?fields=id,name,email,picture`,
      profile: (raw) =>
        toProfile('facebook', raw, {
          id: raw.id,
          name: raw.name,
          email: raw.email,
          avatarUrl: pick(raw, 'picture.data.url'),
        }),
    };
  },
);

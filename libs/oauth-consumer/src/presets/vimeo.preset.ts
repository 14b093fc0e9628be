import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `vimeo` preset.
 * @publicApi
 */
export type VimeoPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.vimeo.com/api/authentication: api.vimeo.com/oauth/authorize with a space-separated scope list (public and private by default) and a required state, api.vimeo.com/oauth/access_token
// with the client identifier and secret as Basic credentials; the response carries the granted scopes and the full user; no refresh tokens in this flow.
/**
 * Vimeo: credentials from developer.vimeo.com/apps; scopes `public`, `private`, `upload`, `edit`...; authorization-code tokens do not come with refresh tokens.
 * @publicApi
 */
export const vimeo = definePreset<VimeoPresetOptions>(
  {
    name: 'vimeo',
    title: 'Vimeo',
    console:
      'developer.vimeo.com/apps → your app (client identifier and secret, callback URLs)',
    scopes:
      '`public` and `private` (the defaults); `interact`, `create`, `edit`, `upload`, `delete`, `video_files`...',
    defaultScope: ['public', 'private'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.vimeo.com/api/authentication',
    },
    notes:
      'The profile id is the user URI (`/users/{id}`). API calls send `Accept: application/vnd.vimeo.*+json;version=3.4`.',
  },
  () => ({
    authorizationUrl: 'https://api.vimeo.com/oauth/authorize',
    tokenUrl: 'https://api.vimeo.com/oauth/access_token',
    refreshUrl: false,
    baseUrl: 'https://api.vimeo.com/',
    headers: { accept: 'application/vnd.vimeo.*+json;version=3.4' },
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.vimeo.com/me',
    profile: (raw) =>
      toProfile('vimeo', raw, {
        id: raw.uri,
        name: raw.name,
        avatarUrl: pick(raw, 'pictures.base_link'),
      }),
  }),
);

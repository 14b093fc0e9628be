import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `zoom` preset.
 * @publicApi
 */
export type ZoomPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://devsupport.zoom.us/hc/en-us/articles/360060332931-Extending-the-expiration-for-an-OAuth-access-token: user authorization at zoom.us/oauth/authorize (PKCE supported), zoom.us/oauth/token with a Basic header;
// 1-hour access tokens, refresh with grant_type=refresh_token, and the latest refresh token must always be used (each refresh issues a new one); zoom.us/oauth/revoke.
/**
 * Zoom: credentials from marketplace.zoom.us → Develop → Build App (General App, user-managed); scopes are set on the app (`user:read:user`, `meeting:read:list_meetings`...).
 * @publicApi
 */
export const zoom = definePreset<ZoomPresetOptions>(
  {
    name: 'zoom',
    title: 'Zoom',
    console:
      'marketplace.zoom.us → Develop → Build App (General App, user-managed)',
    scopes:
      'set on the app (`user:read:user` for the profile, `meeting:read:list_meetings`...).',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://devsupport.zoom.us/hc/en-us/articles/360060332931-Extending-the-expiration-for-an-OAuth-access-token',
      rotating: true,
      notes:
        'Also checked against marketplace.zoom.us/docs/guides/authorization/oauth-with-zoom.',
    },
    notes: 'Refresh tokens rotate on every refresh.',
  },
  () => ({
    authorizationUrl: 'https://zoom.us/oauth/authorize',
    tokenUrl: 'https://zoom.us/oauth/token',
    refreshUrl: 'https://zoom.us/oauth/token',
    revocationUrl: 'https://zoom.us/oauth/revoke',
    baseUrl: 'https://api.zoom.us/v2/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.zoom.us/v2/users/me',
    profile: (raw) =>
      toProfile('zoom', raw, {
        id: raw.id,
        name: raw.display_name ?? joined(raw.first_name, raw.last_name),
        email: raw.email,
        avatarUrl: raw.pic_url,
      }),
  }),
);

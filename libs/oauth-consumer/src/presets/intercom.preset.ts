import { definePreset, oneOf } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/** Intercom's regional hosts: the workspace's data lives in one of them. */
const REGIONS = {
  us: { app: 'https://app.intercom.com', api: 'https://api.intercom.io' },
  eu: { app: 'https://app.eu.intercom.com', api: 'https://api.eu.intercom.io' },
  au: { app: 'https://app.au.intercom.com', api: 'https://api.au.intercom.io' },
} as const;

/**
 * Options of the `intercom` preset.
 * @publicApi
 */
export interface IntercomPresetOptions extends PresetOptions {
  /** Where the workspace is hosted (default `us`): `us`, `eu` or `au`. */
  region?: keyof typeof REGIONS;
}

// Checked 2026-12-01 against https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth: app.intercom.com/oauth with client_id and state only
// (permissions are ticked on the app, no scope parameter), POST api.intercom.io/auth/eagle/token with code, client_id, client_secret; tokens do not expire, no refresh, no PKCE, no revocation endpoint.
/**
 * Intercom (public apps): OAuth from the Developer Hub → your app → Authentication (Use OAuth); permissions are set on the app; `region` for EU or Australian workspaces.
 * @publicApi
 */
export const intercom = definePreset<IntercomPresetOptions>(
  {
    name: 'intercom',
    title: 'Intercom',
    console:
      'Intercom Developer Hub → your app → Configure → Authentication (tick Use OAuth, redirect URLs, permissions); client ID and secret under Basic information',
    scopes:
      'none sent: permissions (read users and companies, write conversations…) are ticked on the app in the Developer Hub.',
    defaultScope: [],
    options: {
      region: 'workspace region `us` (default), `eu` or `au`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth',
    },
    notes:
      'The token answer carries the token twice (`token` and `access_token`); it lasts until the workspace uninstalls the app. Redirect URLs must be https.',
  },
  (options) => {
    const region =
      REGIONS[
        oneOf('intercom', 'region', options.region, ['us', 'eu', 'au']) ?? 'us'
      ];
    return {
      authorizationUrl: `${region.app}/oauth`,
      tokenUrl: `${region.api}/auth/eagle/token`,
      refreshUrl: false,
      baseUrl: `${region.api}/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `${region.api}/me`,
      profile: (raw) =>
        toProfile('intercom', raw, {
          id: raw.id,
          name: raw.name,
          email: raw.email,
          avatarUrl: pick(raw, 'avatar.image_url'),
        }),
    };
  },
);

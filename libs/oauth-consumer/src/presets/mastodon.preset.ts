import { definePreset, urlOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `mastodon` preset.
 * @publicApi
 */
export interface MastodonPresetOptions extends PresetOptions {
  /** The Mastodon server's root URL (default `https://mastodon.social`); the client is registered there. */
  baseUrl?: string;
}

// Checked 2026-12-01 against https://docs.joinmastodon.org/methods/oauth/: {server}/oauth/authorize, POST /oauth/token (client_id and client_secret in the form, `scope` equal to the one
// authorized), RFC 7009 revocation at /oauth/revoke; space-separated scopes (default `read`); tokens carry no expiry and no refresh token; apps are registered per server (POST /api/v1/apps).
/**
 * Mastodon (one server): register the app on that server (Preferences → Development, or POST /api/v1/apps); scopes `read`, `write`, `read:accounts`, `profile`.
 * @publicApi
 */
export const mastodon = definePreset<MastodonPresetOptions>(
  {
    name: 'mastodon',
    title: 'Mastodon',
    console:
      'your Mastodon server → Preferences → Development → New application (or POST /api/v1/apps)',
    scopes:
      '`read:accounts` for the profile; `read`, `write`, `follow`, `push` or granular ones such as `write:statuses`; each must be among the scopes the app was registered with.',
    defaultScope: ['read:accounts'],
    options: {
      baseUrl: 'the server root URL (default `https://mastodon.social`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.joinmastodon.org/methods/oauth/',
      notes:
        'RFC 7009 revocation and the Doorkeeper implementation per docs.joinmastodon.org/spec/oauth; PKCE is not documented there, so the preset does not send it.',
    },
    notes:
      'A client ID belongs to one server: users of other servers need an app registered there (one blueprint per server, or dynamic registration in your app). The preset repeats the scope in the code exchange, as Mastodon requires.',
  },
  (options, requested) => {
    const base = urlOption(
      'mastodon',
      'baseUrl',
      options.baseUrl ?? 'https://mastodon.social',
      "give the server's root URL, e.g. 'https://mastodon.social'",
    );
    return {
      authorizationUrl: `${base}/oauth/authorize`,
      tokenUrl: `${base}/oauth/token`,
      refreshUrl: false,
      revocationUrl: `${base}/oauth/revoke`,
      baseUrl: `${base}/api/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      tokenParams: { scope: requested.join(' ') },
      userInfoUrl: `${base}/api/v1/accounts/verify_credentials`,
      profile: (raw) =>
        toProfile('mastodon', raw, {
          id: raw.id,
          name: raw.display_name || raw.username,
          avatarUrl: raw.avatar,
        }),
    };
  },
);

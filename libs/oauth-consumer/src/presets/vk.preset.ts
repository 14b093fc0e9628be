import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, pick, toProfile } from './profile.util';
import { normalizeWith, zeroMeansNoExpiry } from './token-response.util';

/**
 * Options of the `vk` preset.
 * @publicApi
 */
export interface VkPresetOptions extends PresetOptions {
  /** The VK API version (`v`, default `5.199`). */
  apiVersion?: string;
}

// Not verified (2026-12-01): https://id.vk.ru/about/faq/business/vkid/authorization/30011 documents only VK ID (OAuth 2.1, PKCE required, a `device_id`
// from the callback sent with the code to id.vk.com/oauth2/auth); the oauth.vk.com flow this preset uses is no longer described there.
/**
 * VK (oauth.vk.com authorization code flow): credentials from vk.com/apps?act=manage (app id and secure key); scopes `email`, `offline`, `friends` (comma-separated).
 * @publicApi
 */
export const vk = definePreset<VkPresetOptions>(
  {
    name: 'vk',
    title: 'VK',
    console:
      'vk.com/apps?act=manage → your app → Settings (app id and secure key)',
    scopes:
      '`email` (the address comes in the token response); `offline` for a non-expiring token; `friends`, `photos`...',
    defaultScope: ['email'],
    options: { apiVersion: 'API version `v` (default `5.199`)' },
    flaskDance: false,
    verification: {
      unverified:
        "VK's current documentation (id.vk.ru) describes only VK ID, whose token request needs the `device_id` of the callback; the oauth.vk.com flow used here is no longer documented, and still works only for apps registered before VK ID.",
    },
    notes:
      'No refresh tokens; `offline` tokens report `expires_in: 0`, normalized to "does not expire". Every API call needs `v` in the query. New apps registered on VK ID (id.vk.com) need its own flow (device_id), not this one.',
  },
  (options) => {
    const version = options.apiVersion ?? '5.199';
    if (!/^\d+\.\d+$/.test(version)) {
      throw new InvalidOptionsError(
        `vk(): apiVersion ${JSON.stringify(version)} is not a VK API version: use e.g. '5.199'.`,
      );
    }
    return {
      authorizationUrl: 'https://oauth.vk.com/authorize',
      tokenUrl: 'https://oauth.vk.com/access_token',
      refreshUrl: false,
      baseUrl: 'https://api.vk.com/method/',
      scopeSeparator: ',',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: { v: version, display: 'page' },
      tokenResponse: normalizeWith(zeroMeansNoExpiry),
      userInfoUrl: `https://api.vk.com/method/users.get?fields=photo_200&v=${version}`,
      profile: (raw) =>
        toProfile('vk', raw, {
          id: pick(raw, 'response.0.id'),
          name: joined(
            pick(raw, 'response.0.first_name'),
            pick(raw, 'response.0.last_name'),
          ),
          avatarUrl: pick(raw, 'response.0.photo_200'),
        }),
    };
  },
);

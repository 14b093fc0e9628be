import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `twitch` preset.
 * @publicApi
 */
export interface TwitchPresetOptions extends PresetOptions {
  /** Ask the user to authorize again even if they already did (`force_verify=true`). */
  forceVerify?: boolean;
}

// Checked 2026-12-01 against https://dev.twitch.tv/docs/authentication: id.twitch.tv/oauth2/authorize with space-separated scopes, id.twitch.tv/oauth2/token (form, client id and secret in the body) for codes and refresh tokens,
// /oauth2/revoke, OIDC support; apps using Twitch for login must validate tokens (/oauth2/validate) and every Helix call needs the Client-Id header.
/**
 * Twitch: credentials from dev.twitch.tv/console → Applications; scopes `user:read:email`, `channel:read:subscriptions`...
 * @publicApi
 */
export const twitch = definePreset<TwitchPresetOptions>(
  {
    name: 'twitch',
    title: 'Twitch',
    console: 'dev.twitch.tv/console → Applications',
    scopes:
      '`user:read:email` for the email; `channel:read:subscriptions`, `chat:read`...',
    defaultScope: ['user:read:email'],
    options: { forceVerify: '`force_verify=true`' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://dev.twitch.tv/docs/authentication',
    },
    notes:
      'The Helix API requires the `Client-Id` header (set). Scopes come back as an array: normalized.',
  },
  (options) => ({
    authorizationUrl: 'https://id.twitch.tv/oauth2/authorize',
    tokenUrl: 'https://id.twitch.tv/oauth2/token',
    refreshUrl: 'https://id.twitch.tv/oauth2/token',
    revocationUrl: 'https://id.twitch.tv/oauth2/revoke',
    baseUrl: 'https://api.twitch.tv/helix/',
    headers: { 'client-id': options.clientId },
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      force_verify: options.forceVerify ? 'true' : undefined,
    }),
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://api.twitch.tv/helix/users',
    profile: (raw) =>
      toProfile('twitch', raw, {
        id: pick(raw, 'data.0.id'),
        name: pick(raw, 'data.0.display_name') ?? pick(raw, 'data.0.login'),
        email: pick(raw, 'data.0.email'),
        avatarUrl: pick(raw, 'data.0.profile_image_url'),
      }),
  }),
);

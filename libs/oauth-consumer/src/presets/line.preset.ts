import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `line` preset.
 * @publicApi
 */
export interface LinePresetOptions extends PresetOptions {
  /** Offer to add the linked LINE Official Account as a friend (`bot_prompt`). */
  botPrompt?: 'normal' | 'aggressive';
}

// Checked 2026-12-01 against https://developers.line.biz/en/reference/line-login/: LINE Login v2.1: access.line.me/oauth2/v2.1/authorize (space-separated profile openid email, PKCE supported),
// api.line.me/oauth2/v2.1/token (form, channel id and secret in the body) for codes and refresh tokens, /oauth2/v2.1/revoke, /oauth2/v2.1/userinfo.
/**
 * LINE Login: credentials from developers.line.biz/console → provider → LINE Login channel (channel id and secret); scopes `profile openid email`.
 * @publicApi
 */
export const line = definePreset<LinePresetOptions>(
  {
    name: 'line',
    title: 'LINE',
    console:
      'developers.line.biz/console → your provider → LINE Login channel (channel id and secret)',
    scopes:
      '`profile openid`; `email` once the channel is approved for it (the address is in the id_token).',
    defaultScope: ['profile', 'openid', 'email'],
    options: { botPrompt: '`normal` or `aggressive` (`bot_prompt`)' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.line.biz/en/reference/line-login/',
    },
  },
  (options) => ({
    authorizationUrl: 'https://access.line.me/oauth2/v2.1/authorize',
    tokenUrl: 'https://api.line.me/oauth2/v2.1/token',
    refreshUrl: 'https://api.line.me/oauth2/v2.1/token',
    revocationUrl: 'https://api.line.me/oauth2/v2.1/revoke',
    baseUrl: 'https://api.line.me/',
    issuer: 'https://access.line.me',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      bot_prompt: oneOf('line', 'botPrompt', options.botPrompt, [
        'normal',
        'aggressive',
      ]),
    }),
    userInfoUrl: 'https://api.line.me/oauth2/v2.1/userinfo',
    profile: (raw) =>
      toProfile('line', raw, {
        id: raw.sub,
        name: raw.name,
        email: raw.email,
        avatarUrl: raw.picture,
      }),
  }),
);

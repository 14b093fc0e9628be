import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { text, toProfile } from './profile.util';
import { TokenResponseNormalizer } from './token-response.util';

/** Yandex documents `Authorization: OAuth <token>`: the token type says so, and fetch() follows it. */
const yandexToken: TokenResponseNormalizer = (body) => ({
  ...body,
  token_type: 'OAuth',
});

/**
 * Options of the `yandex` preset.
 * @publicApi
 */
export interface YandexPresetOptions extends PresetOptions {
  /** Ask the user to confirm access again (`force_confirm=yes`). */
  forceConfirm?: boolean;
}

// Checked 2026-12-01 against https://yandex.com/dev/id/doc/en/codes/code-url: oauth.yandex.com/authorize (scope and optional_scope, force_confirm, device_id), PKCE (code_challenge, S256)
// supported, the code exchanged by a POST to oauth.yandex.com/token with Basic client credentials for a token and refresh token.
/**
 * Yandex ID: credentials from oauth.yandex.com/client/new; permissions are chosen on the app (`login:info`, `login:email`, `login:avatar`).
 * @publicApi
 */
export const yandex = definePreset<YandexPresetOptions>(
  {
    name: 'yandex',
    title: 'Yandex',
    console: 'oauth.yandex.com/client/new (Yandex OAuth)',
    scopes:
      'chosen on the app (`login:info`, `login:email`, `login:avatar`); a subset may be asked for.',
    defaultScope: [],
    options: { forceConfirm: '`force_confirm=yes`' },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://yandex.com/dev/id/doc/en/codes/code-url',
      notes: 'PKCE is now on, as Yandex ID documents it.',
    },
    notes:
      'Yandex APIs document the `Authorization: OAuth <token>` scheme: the normalized token says `token_type: OAuth`.',
  },
  (options) => ({
    authorizationUrl: 'https://oauth.yandex.com/authorize',
    tokenUrl: 'https://oauth.yandex.com/token',
    refreshUrl: 'https://oauth.yandex.com/token',
    baseUrl: 'https://login.yandex.ru/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    authorizationParams: params({
      force_confirm: options.forceConfirm ? 'yes' : undefined,
    }),
    tokenResponse: yandexToken,
    userInfoUrl: 'https://login.yandex.ru/info?format=json',
    profile: (raw) => {
      const avatarId = text(raw.default_avatar_id);
      return toProfile('yandex', raw, {
        id: raw.id,
        name: raw.real_name ?? raw.display_name ?? raw.login,
        email: raw.default_email,
        avatarUrl:
          avatarId && raw.is_avatar_empty !== true
            ? `https://avatars.yandex.net/get-yapic/${avatarId}/islands-200`
            : undefined,
      });
    },
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `kakao` preset.
 * @publicApi
 */
export type KakaoPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.kakao.com/docs/latest/en/kakaologin/rest-api: kauth.kakao.com/oauth/authorize and /oauth/token (form, REST API key as
// client id, secret when enabled), refresh tokens (about two months) reissued only near expiry; Kakao's SDKs send a PKCE code verifier.
/**
 * Kakao Login: credentials from developers.kakao.com → My Application (REST API key, client secret under Security); scopes `profile_nickname`, `profile_image`, `account_email`.
 * @publicApi
 */
export const kakao = definePreset<KakaoPresetOptions>(
  {
    name: 'kakao',
    title: 'Kakao',
    console:
      'developers.kakao.com → My Application → App Keys (REST API key) and Security (client secret)',
    scopes:
      '`profile_nickname`, `profile_image`, `account_email` (consent items set under Kakao Login → Consent items).',
    defaultScope: ['profile_nickname', 'profile_image', 'account_email'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.kakao.com/docs/latest/en/kakaologin/rest-api',
      notes: "PKCE is now on, as Kakao's own SDKs use it.",
    },
  },
  () => ({
    authorizationUrl: 'https://kauth.kakao.com/oauth/authorize',
    tokenUrl: 'https://kauth.kakao.com/oauth/token',
    refreshUrl: 'https://kauth.kakao.com/oauth/token',
    baseUrl: 'https://kapi.kakao.com/',
    scopeSeparator: ',',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://kapi.kakao.com/v2/user/me',
    profile: (raw) =>
      toProfile('kakao', raw, {
        id: raw.id,
        name:
          pick(raw, 'kakao_account.profile.nickname') ??
          pick(raw, 'properties.nickname'),
        email: pick(raw, 'kakao_account.email'),
        avatarUrl: pick(raw, 'kakao_account.profile.profile_image_url'),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `naver` preset.
 * @publicApi
 */
export type NaverPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.naver.com/docs/login/api/api.md: nid.naver.com/oauth2.0/authorize (response_type=code, state required, no scope parameter needed) and /oauth2.0/token for issuing
// (authorization_code), renewing (refresh_token) and deleting (grant_type=delete, not RFC 7009) tokens with client_id and client_secret; no PKCE.
/**
 * Naver Login: credentials from developers.naver.com → Application → My applications; profile fields are chosen on the application, not by scope.
 * @publicApi
 */
export const naver = definePreset<NaverPresetOptions>(
  {
    name: 'naver',
    title: 'Naver',
    console:
      'developers.naver.com → Application → My applications (네이버 로그인)',
    scopes:
      'none: the profile fields (name, email, profile image) are chosen on the application.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.naver.com/docs/login/api/api.md',
    },
  },
  () => ({
    authorizationUrl: 'https://nid.naver.com/oauth2.0/authorize',
    tokenUrl: 'https://nid.naver.com/oauth2.0/token',
    refreshUrl: 'https://nid.naver.com/oauth2.0/token',
    baseUrl: 'https://openapi.naver.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://openapi.naver.com/v1/nid/me',
    profile: (raw) =>
      toProfile('naver', raw, {
        id: pick(raw, 'response.id'),
        name: pick(raw, 'response.name') ?? pick(raw, 'response.nickname'),
        email: pick(raw, 'response.email'),
        avatarUrl: pick(raw, 'response.profile_image'),
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `naver` preset.
 * @publicApi
 */
export type NaverPresetOptions = PresetOptions;

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

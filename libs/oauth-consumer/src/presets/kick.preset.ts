import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `kick` preset.
 * @publicApi
 */
export type KickPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.kick.com/getting-started/generating-tokens-oauth2-flow: OAuth 2.1 on id.kick.com: /oauth/authorize with PKCE S256 required, POST /oauth/token (client_id, client_secret,
// code_verifier in the form); a refresh renews both access and refresh token (rotating); /oauth/revoke takes the token in the query string (not RFC 7009).
/**
 * Kick (public API, OAuth 2.1): app from kick.com Settings → Developer; scopes `user:read`, `channel:read`, `chat:write`.
 * @publicApi
 */
export const kick = definePreset<KickPresetOptions>(
  {
    name: 'kick',
    title: 'Kick',
    console:
      'kick.com → Settings → Developer → Create App (client ID, client secret, redirect URL, scopes)',
    scopes:
      '`user:read` (profile and e-mail), `channel:read`, `channel:write`, `chat:write`, `events:subscribe`, `moderation:ban`.',
    defaultScope: ['user:read'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.kick.com/getting-started/generating-tokens-oauth2-flow',
      rotating: true,
      notes:
        'Read from the documentation source, KickEngineering/KickDevDocs getting-started/generating-tokens-oauth2-flow.md.',
    },
  },
  () => ({
    authorizationUrl: 'https://id.kick.com/oauth/authorize',
    tokenUrl: 'https://id.kick.com/oauth/token',
    refreshUrl: 'https://id.kick.com/oauth/token',
    baseUrl: 'https://api.kick.com/public/v1/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.kick.com/public/v1/users',
    profile: (raw) =>
      toProfile('kick', raw, {
        id: pick(raw, 'data.0.user_id'),
        name: pick(raw, 'data.0.name'),
        email: pick(raw, 'data.0.email'),
        avatarUrl: pick(raw, 'data.0.profile_picture'),
      }),
  }),
);

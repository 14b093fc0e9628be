import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `canva` preset.
 * @publicApi
 */
export type CanvaPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://canva.dev/docs/connect/authentication: authorization code with PKCE (S256, required) at www.canva.com/api/oauth/authorize, POST api.canva.com/rest/v1/oauth/token with a Basic header
// (recommended), 4-hour access tokens, single-use refresh tokens (rotating), RFC 7009-style revocation at /v1/oauth/revoke; space-separated scopes.
/**
 * Canva (Connect APIs): integration from the Canva Developer Portal; scopes `profile:read`, `design:meta:read`, `design:content:write`, `asset:read`.
 * @publicApi
 */
export const canva = definePreset<CanvaPresetOptions>(
  {
    name: 'canva',
    title: 'Canva',
    console:
      'Canva Developer Portal → Your integrations → Create an integration (client ID, client secret, scopes, authentication redirect URL)',
    scopes:
      '`profile:read`, `design:meta:read`, `design:content:read`, `design:content:write`, `asset:read`, `asset:write`, `folder:read`… (each also enabled on the integration).',
    defaultScope: ['profile:read'],
    options: {},
    flaskDance: false,
    notes:
      'The profile is `GET /v1/users/me` (`team_user.user_id`, `team_user.team_id`); the display name is a separate call to `/v1/users/me/profile` (`profile:read`).',
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://canva.dev/docs/connect/authentication',
      rotating: true,
      notes:
        'Token, refresh and revocation per canva.dev/docs/connect/api-reference/authentication (generate-access-token, revoke-token).',
    },
  },
  () => ({
    authorizationUrl: 'https://www.canva.com/api/oauth/authorize',
    tokenUrl: 'https://api.canva.com/rest/v1/oauth/token',
    refreshUrl: 'https://api.canva.com/rest/v1/oauth/token',
    revocationUrl: 'https://api.canva.com/rest/v1/oauth/revoke',
    baseUrl: 'https://api.canva.com/rest/v1/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_basic',
    userInfoUrl: 'https://api.canva.com/rest/v1/users/me',
    profile: (raw) =>
      toProfile('canva', raw, { id: pick(raw, 'team_user.user_id') }),
  }),
);

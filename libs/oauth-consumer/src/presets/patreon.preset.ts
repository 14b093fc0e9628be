import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `patreon` preset.
 * @publicApi
 */
export type PatreonPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.patreon.com/#apiv2-oauth: www.patreon.com/oauth2/authorize and www.patreon.com/api/oauth2/token (form, client id and secret) for codes and refresh tokens;
// space-separated APIv2 scopes identity, identity[email], identity.memberships, campaigns...; no PKCE or revocation documented.
/**
 * Patreon: credentials from patreon.com/portal/registration/register-clients; scopes `identity`, `identity[email]`, `campaigns`.
 * @publicApi
 */
export const patreon = definePreset<PatreonPresetOptions>(
  {
    name: 'patreon',
    title: 'Patreon',
    console: 'patreon.com/portal/registration/register-clients',
    scopes:
      '`identity` and `identity[email]` for the profile; `identity.memberships`, `campaigns`, `campaigns.members`.',
    defaultScope: ['identity', 'identity[email]'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.patreon.com/#apiv2-oauth',
    },
  },
  () => ({
    authorizationUrl: 'https://www.patreon.com/oauth2/authorize',
    tokenUrl: 'https://www.patreon.com/api/oauth2/token',
    refreshUrl: 'https://www.patreon.com/api/oauth2/token',
    baseUrl: 'https://www.patreon.com/api/oauth2/v2/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl:
      'https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,image_url',
    profile: (raw) =>
      toProfile('patreon', raw, {
        id: pick(raw, 'data.id'),
        name: pick(raw, 'data.attributes.full_name'),
        email: pick(raw, 'data.attributes.email'),
        avatarUrl: pick(raw, 'data.attributes.image_url'),
      }),
  }),
);

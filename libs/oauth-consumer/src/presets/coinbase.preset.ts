import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `coinbase` preset.
 * @publicApi
 */
export type CoinbasePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.cdp.coinbase.com/coinbase-app/oauth2-integration/reference: login.coinbase.com/oauth2/{auth,token,revoke}, PKCE S256 optional,
// `offline_access` for refresh tokens, each refresh token usable once (1.5 years); the reference says comma-separated scopes, its own examples use spaces.
/**
 * Coinbase App (OAuth2): credentials from portal.cdp.coinbase.com → API Keys → OAuth (approved partners); scopes `wallet:user:read`, `wallet:accounts:read`, `offline_access`.
 * @publicApi
 */
export const coinbase = definePreset<CoinbasePresetOptions>(
  {
    name: 'coinbase',
    title: 'Coinbase',
    console:
      'portal.cdp.coinbase.com → API Keys → OAuth (client creation limited to approved partners)',
    scopes:
      '`wallet:user:read` and `wallet:user:email` for the profile; `wallet:accounts:read`...; `offline_access` for refresh tokens.',
    defaultScope: ['wallet:user:read', 'wallet:user:email', 'offline_access'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.cdp.coinbase.com/coinbase-app/oauth2-integration/reference',
      rotating: true,
      notes:
        'New OAuth client creation is limited to approved partners. Refresh tokens are single use: each refresh returns a new one.',
    },
  },
  () => ({
    authorizationUrl: 'https://login.coinbase.com/oauth2/auth',
    tokenUrl: 'https://login.coinbase.com/oauth2/token',
    refreshUrl: 'https://login.coinbase.com/oauth2/token',
    revocationUrl: 'https://login.coinbase.com/oauth2/revoke',
    baseUrl: 'https://api.coinbase.com/v2/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.coinbase.com/v2/user',
    profile: (raw) =>
      toProfile('coinbase', raw, {
        id: pick(raw, 'data.id'),
        name: pick(raw, 'data.name'),
        email: pick(raw, 'data.email'),
        avatarUrl: pick(raw, 'data.avatar_url'),
      }),
  }),
);

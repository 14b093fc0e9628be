import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `pandadoc` preset.
 * @publicApi
 */
export type PandaDocPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.pandadoc.com/reference-link/authentication-process: three-step OAuth 2.0: app.pandadoc.com/oauth2/authorize, POST api.pandadoc.com/oauth2/access_token (client_id and
// client_secret in the body) for the code, refresh with the stored refresh_token at the same endpoint; scope `read+write`; no PKCE or revocation documented.
/**
 * PandaDoc (public API): application from the PandaDoc Developer Dashboard; scope `read+write`.
 * @publicApi
 */
export const pandadoc = definePreset<PandaDocPresetOptions>(
  {
    name: 'pandadoc',
    title: 'PandaDoc',
    console:
      'PandaDoc Developer Dashboard → Configuration → Create application (client ID, client secret, redirect URI)',
    scopes: '`read+write` (one scope token), or `read`.',
    defaultScope: ['read+write'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.pandadoc.com/reference-link/authentication-process',
    },
    notes:
      'OAuth needs API access on the PandaDoc plan (production access for the Developer Dashboard); API calls use the `Bearer` token, not the legacy `API-Key` header.',
  },
  () => ({
    authorizationUrl: 'https://app.pandadoc.com/oauth2/authorize',
    tokenUrl: 'https://api.pandadoc.com/oauth2/access_token',
    refreshUrl: 'https://api.pandadoc.com/oauth2/access_token',
    baseUrl: 'https://api.pandadoc.com/public/v1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.pandadoc.com/public/v1/members/current',
    profile: (raw) =>
      toProfile('pandadoc', raw, {
        id: raw.user_id,
        name: joined(raw.first_name, raw.last_name),
        email: raw.email,
        avatarUrl: raw.avatar,
      }),
  }),
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `digitalocean` preset.
 * @publicApi
 */
export type DigitalOceanPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://docs.digitalocean.com/reference/api/oauth: cloud.digitalocean.com/v1/oauth/authorize, /token, /refresh and /revoke; scopes read (default), write or
// custom ones, space-separated; refresh tokens with the code; no PKCE documented (implicit flow for public clients).
/**
 * DigitalOcean: credentials from cloud.digitalocean.com → API → OAuth Applications; scopes `read` or `read write` (commas are turned into spaces).
 * @publicApi
 */
export const digitalocean = definePreset<DigitalOceanPresetOptions>(
  {
    name: 'digitalocean',
    title: 'DigitalOcean',
    console: 'cloud.digitalocean.com → API → OAuth Applications',
    scopes:
      '`read` or `read write`; `read,write` is accepted and sent space-separated.',
    defaultScope: ['read'],
    options: {},
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.digitalocean.com/reference/api/oauth',
      notes:
        'The page now lists a dedicated /refresh endpoint; refreshing stays on /token with grant_type=refresh_token, as the OAuth API reference documents.',
    },
  },
  (_options, requested) => ({
    authorizationUrl: 'https://cloud.digitalocean.com/v1/oauth/authorize',
    tokenUrl: 'https://cloud.digitalocean.com/v1/oauth/token',
    refreshUrl: 'https://cloud.digitalocean.com/v1/oauth/token',
    revocationUrl: 'https://cloud.digitalocean.com/v1/oauth/revoke',
    baseUrl: 'https://api.digitalocean.com/v2/',
    // Flask-Dance quirk kept: DigitalOcean wants spaces, people write "read,write".
    scope: requested.flatMap((item) => item.split(',')).filter(Boolean),
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.digitalocean.com/v2/account',
    profile: (raw) =>
      toProfile('digitalocean', raw, {
        id: pick(raw, 'account.uuid'),
        name: pick(raw, 'account.name'),
        email: pick(raw, 'account.email'),
      }),
  }),
);

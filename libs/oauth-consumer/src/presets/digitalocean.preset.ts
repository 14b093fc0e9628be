import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `digitalocean` preset.
 * @publicApi
 */
export type DigitalOceanPresetOptions = PresetOptions;

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

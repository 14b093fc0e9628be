import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `osm` preset.
 * @publicApi
 */
export type OsmPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://wiki.openstreetmap.org/wiki/OAuth: OAuth 2.0 only: www.openstreetmap.org/oauth2/authorize and /oauth2/token (authorization code, with PKCE supported), space-separated scopes
// read_prefs, write_api, read_gpx...; access tokens do not expire (no refresh); RFC 8414 metadata at /.well-known/oauth-authorization-server.
/**
 * OpenStreetMap: credentials from openstreetmap.org → My Settings → OAuth 2 applications; scopes `read_prefs`, `write_api`, `write_notes`...
 * @publicApi
 */
export const osm = definePreset<OsmPresetOptions>(
  {
    name: 'osm',
    title: 'OpenStreetMap',
    console: 'openstreetmap.org → My Settings → OAuth 2 applications',
    scopes:
      '`read_prefs` for the user details; `write_api`, `write_notes`, `write_gpx` to edit.',
    defaultScope: ['read_prefs'],
    options: {},
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://wiki.openstreetmap.org/wiki/OAuth',
    },
    notes: 'Tokens do not expire and there are no refresh tokens.',
  },
  () => ({
    authorizationUrl: 'https://www.openstreetmap.org/oauth2/authorize',
    tokenUrl: 'https://www.openstreetmap.org/oauth2/token',
    refreshUrl: false,
    revocationUrl: 'https://www.openstreetmap.org/oauth2/revoke',
    baseUrl: 'https://api.openstreetmap.org/api/0.6/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.openstreetmap.org/api/0.6/user/details.json',
    profile: (raw) =>
      toProfile('osm', raw, {
        id: pick(raw, 'user.id'),
        name: pick(raw, 'user.display_name'),
        avatarUrl: pick(raw, 'user.img.href'),
      }),
  }),
);

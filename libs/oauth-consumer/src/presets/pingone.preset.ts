import { definePreset, oneOf, segmentOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/** PingOne's regional authorization hosts. */
const REGIONS = {
  na: 'https://auth.pingone.com',
  eu: 'https://auth.pingone.eu',
  ca: 'https://auth.pingone.ca',
  ap: 'https://auth.pingone.asia',
  au: 'https://auth.pingone.com.au',
} as const;

/**
 * Options of the `pingone` preset.
 * @publicApi
 */
export interface PingOnePresetOptions extends PresetOptions {
  /** The environment ID (a UUID from the PingOne admin console). */
  environmentId: string;
  /** The environment's region (default `na`): `na`, `eu`, `ca`, `ap` or `au`. */
  region?: keyof typeof REGIONS;
}

// Checked 2026-12-01 against https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/authorization-flow-by-grant-type/pkce-parameters.html:
// {authPath}/{envID}/as/authorize, /as/token, /as/userinfo, /as/revoke (auth.pingone.com in North America, regional hosts elsewhere); PKCE S256 or plain; space-separated scopes.
/**
 * PingOne (Ping Identity cloud): OIDC web app from the PingOne admin console → Applications; scopes `openid profile email`; `environmentId` and `region` name the environment.
 * @publicApi
 */
export const pingone = definePreset<PingOnePresetOptions>(
  {
    name: 'pingone',
    title: 'PingOne',
    console:
      'PingOne admin console → your environment → Applications → Add application (OIDC Web App): redirect URIs, grant types (authorization code, refresh token), client ID and secret',
    scopes:
      '`openid profile email`; `address`, `phone`; custom resource scopes. Refresh tokens come when the app allows the Refresh Token grant type (no scope for it).',
    defaultScope: ['openid', 'profile', 'email'],
    options: {
      environmentId: 'the environment ID (required)',
      region: 'environment region `na` (default), `eu`, `ca`, `ap` or `au`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/authorization-flow-by-grant-type/pkce-parameters.html',
      notes:
        'Authorization path and the North America host per the PingOne Platform API workflow library ("Send an authorization request"); token, userinfo and revoke endpoints as the environment\'s discovery document lists them.',
    },
    example: { environmentId: '5caa81af-ec05-41ff-a709-c7378007a99c' },
    notes:
      "The client authentication must match the app's Token Endpoint Authentication Method: the preset uses Client Secret Basic, PingOne's default for web apps.",
  },
  (options) => {
    const environmentId = segmentOption(
      'pingone',
      'environmentId',
      options.environmentId,
      'copy the environment ID from the PingOne admin console',
    );
    const host =
      REGIONS[
        oneOf('pingone', 'region', options.region, [
          'na',
          'eu',
          'ca',
          'ap',
          'au',
        ]) ?? 'na'
      ];
    const issuer = `${host}/${environmentId}/as`;
    return {
      authorizationUrl: `${issuer}/authorize`,
      tokenUrl: `${issuer}/token`,
      refreshUrl: `${issuer}/token`,
      revocationUrl: `${issuer}/revoke`,
      baseUrl: `${host}/${environmentId}/`,
      issuer,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_basic',
      userInfoUrl: `${issuer}/userinfo`,
      profile: (raw) =>
        toProfile('pingone', raw, {
          id: raw.sub,
          name:
            raw.name ??
            joined(raw.given_name, raw.family_name) ??
            raw.preferred_username,
          email: raw.email,
        }),
    };
  },
);

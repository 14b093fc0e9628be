import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `orcid` preset.
 * @publicApi
 */
export interface OrcidPresetOptions extends PresetOptions {
  /** Use the sandbox (`sandbox.orcid.org`). */
  sandbox?: boolean;
}

/**
 * ORCID: credentials from orcid.org → Developer tools (public API) or a member API registration; scopes `openid` or `/authenticate`, `/read-limited`.
 * @publicApi
 */
export const orcid = definePreset<OrcidPresetOptions>(
  {
    name: 'orcid',
    title: 'ORCID',
    console:
      'orcid.org → your record menu → Developer tools (member API: ORCID registration)',
    scopes:
      '`openid` (or `/authenticate`) for the iD; `/read-limited`, `/activities/update` on the member API.',
    defaultScope: ['openid'],
    options: { sandbox: 'use `sandbox.orcid.org`' },
    flaskDance: true,
    notes:
      'The token response carries the `orcid` iD and `name`. Tokens last about 20 years.',
  },
  (options) => {
    const site = options.sandbox ? 'sandbox.orcid.org' : 'orcid.org';
    return {
      authorizationUrl: `https://${site}/oauth/authorize`,
      tokenUrl: `https://${site}/oauth/token`,
      refreshUrl: `https://${site}/oauth/token`,
      baseUrl: `https://pub.${site}/v3.0/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `https://${site}/oauth/userinfo`,
      profile: (raw) =>
        toProfile('orcid', raw, {
          id: raw.sub,
          name: raw.name ?? joined(raw.given_name, raw.family_name),
        }),
    };
  },
);

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

// Checked 2026-12-01 against https://info.orcid.org/faq/how-does-3-legged-oauth-work: orcid.org/oauth/authorize (sandbox.orcid.org for testing) with /authenticate, /read-limited or openid scopes, code exchanged at
// orcid.org/oauth/token with client id and secret in the form and Accept: application/json; the response carries the ORCID iD; access tokens last 20 years.
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
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://info.orcid.org/faq/how-does-3-legged-oauth-work',
    },
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

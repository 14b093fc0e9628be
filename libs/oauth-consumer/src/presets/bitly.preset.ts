import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `bitly` preset.
 * @publicApi
 */
export type BitlyPresetOptions = PresetOptions;

/** The primary address of Bitly's `emails: [{ email, is_primary }]`, else the first. */
function primaryEmail(emails: unknown): unknown {
  if (!Array.isArray(emails)) return undefined;
  const list = emails as { email?: unknown; is_primary?: unknown }[];
  return (list.find((entry) => entry?.is_primary === true) ?? list[0])?.email;
}

// Checked 2026-12-01 against https://dev.bitly.com/authentication.html: OAuth web flow: bitly.com/oauth/authorize with client_id, redirect_uri, state; POST api-ssl.bitly.com/oauth/access_token
// with client_id, client_secret, code, redirect_uri; no scopes, tokens do not expire, no refresh, PKCE or revocation.
/**
 * Bitly (API v4): OAuth app from Bitly Developer settings; no scopes.
 * @publicApi
 */
export const bitly = definePreset<BitlyPresetOptions>(
  {
    name: 'bitly',
    title: 'Bitly',
    console:
      'Bitly → Settings → Developer settings → Register new app (client ID, client secret, redirect URIs)',
    scopes: 'none: a Bitly token acts for the whole user account.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://dev.bitly.com/authentication.html',
    },
    notes:
      'The token endpoint may answer form-encoded (`access_token=…&login=…`); the dance reads either form.',
  },
  () => ({
    authorizationUrl: 'https://bitly.com/oauth/authorize',
    tokenUrl: 'https://api-ssl.bitly.com/oauth/access_token',
    refreshUrl: false,
    baseUrl: 'https://api-ssl.bitly.com/v4/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api-ssl.bitly.com/v4/user',
    profile: (raw) =>
      toProfile('bitly', raw, {
        id: raw.login,
        name: raw.name ?? raw.login,
        email: primaryEmail(raw.emails),
      }),
  }),
);

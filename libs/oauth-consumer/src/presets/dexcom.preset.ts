import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `dexcom` preset.
 * @publicApi
 */
export interface DexcomPresetOptions extends PresetOptions {
  /** Use the sandbox (`sandbox-api.dexcom.com`) instead of production. */
  sandbox?: boolean;
}

// Checked 2026-12-01 against https://developer.dexcom.com/docs/dexcom/authentication/: api.dexcom.com/v2/oauth2/login with `scope=offline_access`, /v2/oauth2/token
// with the client id and secret in the form body, sandbox-api.dexcom.com for the sandbox; no PKCE or revocation documented.
/**
 * Dexcom (CGM data): credentials from developer.dexcom.com → My Apps; scope `offline_access` (the only one).
 * @publicApi
 */
export const dexcom = definePreset<DexcomPresetOptions>(
  {
    name: 'dexcom',
    title: 'Dexcom',
    console: 'developer.dexcom.com → My Apps',
    scopes: '`offline_access` (the only scope; it also yields refresh tokens).',
    defaultScope: ['offline_access'],
    options: { sandbox: 'use `sandbox-api.dexcom.com`' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.dexcom.com/docs/dexcom/authentication/',
    },
    notes: 'No user-info endpoint: there is no `profile`.',
  },
  (options) => {
    const base = options.sandbox
      ? 'https://sandbox-api.dexcom.com'
      : 'https://api.dexcom.com';
    return {
      authorizationUrl: `${base}/v2/oauth2/login`,
      tokenUrl: `${base}/v2/oauth2/token`,
      refreshUrl: `${base}/v2/oauth2/token`,
      baseUrl: `${base}/v3/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
    };
  },
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `gusto` preset.
 * @publicApi
 */
export interface GustoPresetOptions extends PresetOptions {
  /** Use Gusto's demo environment (`api.gusto-demo.com`), where every integration is built and tested. */
  demo?: boolean;
}

// Checked 2026-12-01 against https://docs.gusto.com/app-integrations/docs/oauth2: api.gusto.com/oauth/authorize (a company is picked there, one company per grant since v2023-05-01),
// POST /oauth/token with client_id, client_secret, redirect_uri, code; 2-hour access tokens, each refresh returns a new refresh token (rotating); no scopes, PKCE or revocation endpoint.
/**
 * Gusto (App Integrations API): application from the Gusto Developer Portal (production credentials after Gusto's review); `demo: true` for api.gusto-demo.com.
 * @publicApi
 */
export const gusto = definePreset<GustoPresetOptions>(
  {
    name: 'gusto',
    title: 'Gusto',
    console:
      'dev.gusto.com → Developer Portal → Applications (client ID, secret, redirect URI; production keys after approval)',
    scopes:
      'none sent: access follows the application and the company the admin authorizes.',
    defaultScope: [],
    options: {
      demo: 'the demo environment (`api.gusto-demo.com`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.gusto.com/app-integrations/docs/oauth2',
      rotating: true,
      notes:
        'Token lifetime and refresh per docs.gusto.com/embedded-payroll/docs/company-access-tokens (2 hours; a refresh token is exchanged for a new access and refresh token).',
    },
    notes:
      'Only primary or full-access admins can authorize, and each grant covers one company: read `roles.payroll_admin.companies` from `/v1/me` for the company UUID. All development happens against the demo environment.',
  },
  (options) => {
    const host = options.demo
      ? 'https://api.gusto-demo.com'
      : 'https://api.gusto.com';
    return {
      authorizationUrl: `${host}/oauth/authorize`,
      tokenUrl: `${host}/oauth/token`,
      refreshUrl: `${host}/oauth/token`,
      baseUrl: `${host}/`,
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: `${host}/v1/me`,
      profile: (raw) =>
        toProfile('gusto', raw, {
          id: raw.uuid,
          name: joined(raw.first_name, raw.last_name),
          email: raw.email,
        }),
    };
  },
);

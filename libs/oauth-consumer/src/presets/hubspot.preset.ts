import { definePreset, params, scopeList } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `hubspot` preset.
 * @publicApi
 */
export interface HubSpotPresetOptions extends PresetOptions {
  /** Scopes the user may decline (`optional_scope`). */
  optionalScope?: string | readonly string[];
}

// Checked 2026-12-01 against https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens: the v1 token endpoint is deprecated on 2027-02-16;
// the 2026-03 one takes every parameter in a form body, `code_verifier` included; authorize at app.hubspot.com with space-separated `scope` and `optional_scope`.
/**
 * HubSpot: credentials from developers.hubspot.com → Apps → Auth; scopes `oauth` plus `crm.objects.contacts.read`...
 * @publicApi
 */
export const hubspot = definePreset<HubSpotPresetOptions>(
  {
    name: 'hubspot',
    title: 'HubSpot',
    console: 'developers.hubspot.com → your developer account → Apps → Auth',
    scopes:
      '`oauth` (always); CRM scopes such as `crm.objects.contacts.read`; optional ones in `optionalScope`.',
    defaultScope: ['oauth'],
    options: {
      optionalScope: 'scopes the user may decline (`optional_scope`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens',
      notes:
        'Fixed: the token endpoint moved from `oauth/v1/token` (deprecated on 2027-02-16) to `oauth/2026-03/token`, and PKCE is on.',
    },
    notes:
      'The token-info endpoint puts the token in the URL path, so there is no `profile`.',
  },
  (options) => {
    const optional = scopeList(options.optionalScope ?? []);
    return {
      authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
      tokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
      refreshUrl: 'https://api.hubapi.com/oauth/2026-03/token',
      baseUrl: 'https://api.hubapi.com/',
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        optional_scope: optional.length > 0 ? optional.join(' ') : undefined,
      }),
    };
  },
);

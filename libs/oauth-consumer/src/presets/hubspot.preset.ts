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
    notes:
      'The token-info endpoint puts the token in the URL path, so there is no `profile`.',
  },
  (options) => {
    const optional = scopeList(options.optionalScope ?? []);
    return {
      authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
      tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
      refreshUrl: 'https://api.hubapi.com/oauth/v1/token',
      baseUrl: 'https://api.hubapi.com/',
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        optional_scope: optional.length > 0 ? optional.join(' ') : undefined,
      }),
    };
  },
);

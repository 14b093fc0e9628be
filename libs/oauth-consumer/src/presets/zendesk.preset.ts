import { definePreset, segmentOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `zendesk` preset.
 * @publicApi
 */
export interface ZendeskPresetOptions extends PresetOptions {
  /** The account's subdomain: `acme` for `acme.zendesk.com`. */
  subdomain: string;
}

// Checked 2026-12-01 against https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/: {subdomain}.zendesk.com/oauth/authorizations/new, POST /oauth/tokens
// for the authorization code (with PKCE) and refresh token grants; a refresh returns a new refresh token and deletes the old pair (rotating); space-separated scopes such as `read`, `tickets:write`.
/**
 * Zendesk (Support, Help Center): OAuth client from Admin Center → Apps and integrations → APIs → OAuth clients; scopes `read`, `write`, `tickets:read`, `users:write`…; `subdomain` names the account.
 * @publicApi
 */
export const zendesk = definePreset<ZendeskPresetOptions>(
  {
    name: 'zendesk',
    title: 'Zendesk',
    console:
      'Admin Center → Apps and integrations → APIs → OAuth clients (confidential client, redirect URLs)',
    scopes:
      '`read` and `write`, or per resource: `tickets:read`, `tickets:write`, `users:read`, `hc:read`, `impersonate`.',
    defaultScope: ['read'],
    options: {
      subdomain:
        'the account subdomain, e.g. `acme` for acme.zendesk.com (required)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/',
      rotating: true,
      notes:
        'Refresh tokens were announced on 2025-04-30 (Zendesk help 9182123625370): third-party apps must use the refresh flow by 2026-01-31, every customer by 2026-04-30; PKCE is described in developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce (Ticketing, Help Center and Voice only).',
    },
    example: { subdomain: 'acme' },
    notes:
      "The preset repeats the requested scope in the code exchange, as Zendesk's grant-type token endpoint takes it; a client is scoped to one account unless Zendesk grants a global OAuth client.",
  },
  (options, requested) => {
    const subdomain = segmentOption(
      'zendesk',
      'subdomain',
      typeof options.subdomain === 'string'
        ? options.subdomain.replace(/\.zendesk\.com$/i, '').toLowerCase()
        : options.subdomain,
      "give the account's subdomain, e.g. 'acme' for acme.zendesk.com",
    );
    const host = `https://${subdomain}.zendesk.com`;
    return {
      authorizationUrl: `${host}/oauth/authorizations/new`,
      tokenUrl: `${host}/oauth/tokens`,
      refreshUrl: `${host}/oauth/tokens`,
      baseUrl: `${host}/api/v2/`,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      tokenParams: { scope: requested.join(' ') },
      userInfoUrl: `${host}/api/v2/users/me`,
      profile: (raw) =>
        toProfile('zendesk', raw, {
          id: pick(raw, 'user.id'),
          name: pick(raw, 'user.name'),
          email: pick(raw, 'user.email'),
          avatarUrl: pick(raw, 'user.photo.content_url'),
        }),
    };
  },
);

import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `pipedrive` preset.
 * @publicApi
 */
export type PipedrivePresetOptions = PresetOptions;

// Checked 2026-12-01 against https://pipedrive.readme.io/docs/marketplace-oauth-authorization: oauth.pipedrive.com/oauth/authorize (client_id, redirect_uri, state; scopes come from the app),
// oauth.pipedrive.com/oauth/token with a Basic header for codes and refresh tokens, the response naming the company api_domain and granted scopes comma-separated (normalized); /oauth/revoke for tokens.
/**
 * Pipedrive: credentials from the Marketplace manager; scopes are configured on the app; refresh and revocation with a Basic header.
 * @publicApi
 */
export const pipedrive = definePreset<PipedrivePresetOptions>(
  {
    name: 'pipedrive',
    title: 'Pipedrive',
    console:
      'Pipedrive Developer Hub → Tools and apps → Marketplace manager → your app (client id and secret, callback URL, scopes)',
    scopes:
      'set on the app in the Marketplace manager (`deals:read`, `contacts:full`, `users:read`...): none is sent.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://pipedrive.readme.io/docs/marketplace-oauth-authorization',
    },
    notes:
      "The token response carries the company's `api_domain`; `baseUrl` is the generic `api.pipedrive.com`, give `blueprint.fetch()` the company domain for company-bound calls.",
  },
  () => ({
    authorizationUrl: 'https://oauth.pipedrive.com/oauth/authorize',
    tokenUrl: 'https://oauth.pipedrive.com/oauth/token',
    refreshUrl: 'https://oauth.pipedrive.com/oauth/token',
    revocationUrl: 'https://oauth.pipedrive.com/oauth/revoke',
    baseUrl: 'https://api.pipedrive.com/v1/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_basic',
    tokenResponse: spaceSeparatedScope,
    userInfoUrl: 'https://api.pipedrive.com/v1/users/me',
    profile: (raw) =>
      toProfile('pipedrive', raw, {
        id: pick(raw, 'data.id'),
        name: pick(raw, 'data.name'),
        email: pick(raw, 'data.email'),
        avatarUrl: pick(raw, 'data.icon_url'),
      }),
  }),
);

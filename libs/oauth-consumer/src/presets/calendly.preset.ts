import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `calendly` preset.
 * @publicApi
 */
export type CalendlyPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developer.calendly.com/creating-an-oauth-app: auth.calendly.com/oauth/authorize with PKCE (S256) recommended for web apps and required for native ones, a form POST to auth.calendly.com/oauth/token
// with client id and secret, 2-hour access tokens and refresh tokens that last until used once; scopes chosen on the app; API v1 shut down in August 2025.
/**
 * Calendly (API v2): credentials from developer.calendly.com → My apps; PKCE recommended; 2-hour tokens with single-use refresh tokens.
 * @publicApi
 */
export const calendly = definePreset<CalendlyPresetOptions>(
  {
    name: 'calendly',
    title: 'Calendly',
    console:
      'developer.calendly.com → Accounts → My apps → Create new app (client id, client secret, webhook signing key)',
    scopes:
      'chosen on the app (`default` for the API v2 in older apps; granular scopes such as `users:read`, `scheduled_events:read`).',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.calendly.com/creating-an-oauth-app',
      rotating: true,
    },
    notes:
      'The token response names the user (`owner`) and organization URIs; the profile id is the user URI.',
  },
  () => ({
    authorizationUrl: 'https://auth.calendly.com/oauth/authorize',
    tokenUrl: 'https://auth.calendly.com/oauth/token',
    refreshUrl: 'https://auth.calendly.com/oauth/token',
    revocationUrl: 'https://auth.calendly.com/oauth/revoke',
    baseUrl: 'https://api.calendly.com/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: 'https://api.calendly.com/users/me',
    profile: (raw) =>
      toProfile('calendly', raw, {
        id: pick(raw, 'resource.uri'),
        name: pick(raw, 'resource.name'),
        email: pick(raw, 'resource.email'),
        avatarUrl: pick(raw, 'resource.avatar_url'),
      }),
  }),
);

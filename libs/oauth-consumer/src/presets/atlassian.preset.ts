import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `atlassian` preset.
 * @publicApi
 */
export interface AtlassianPresetOptions extends PresetOptions {
  /** Ask the user to consent again even if they already did (`prompt=consent`). */
  repromptConsent?: boolean;
  /** The API the token is for (default `api.atlassian.com`). */
  audience?: string;
}

const AUTH = 'https://auth.atlassian.com';

// Checked 2026-12-01 against https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps: auth.atlassian.com/authorize with audience=api.atlassian.com, space-separated scopes, prompt=consent, token at
// auth.atlassian.com/oauth/token; offline_access gives rotating refresh tokens; APIs at api.atlassian.com/ex/jira/{cloudid}; no revocation endpoint.
/**
 * Atlassian (Jira, Confluence Cloud, OAuth 2.0 3LO): credentials from developer.atlassian.com → Console; scopes `read:me` plus the product scopes, `offline_access` for refresh.
 * @publicApi
 */
export const atlassian = definePreset<AtlassianPresetOptions>(
  {
    name: 'atlassian',
    title: 'Atlassian',
    console:
      'developer.atlassian.com → Developer console → your app → Settings',
    scopes:
      '`read:me` for the profile, product scopes such as `read:jira-work`; `offline_access` for refresh tokens.',
    defaultScope: ['read:me', 'offline_access'],
    options: {
      repromptConsent: 'ask for consent again (`prompt=consent`)',
      audience: 'the `audience` parameter (default `api.atlassian.com`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps',
      rotating: true,
    },
  },
  (options) => ({
    authorizationUrl: `${AUTH}/authorize`,
    tokenUrl: `${AUTH}/oauth/token`,
    refreshUrl: `${AUTH}/oauth/token`,
    baseUrl: 'https://api.atlassian.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      audience: options.audience ?? 'api.atlassian.com',
      prompt: options.repromptConsent ? 'consent' : undefined,
    }),
    userInfoUrl: 'https://api.atlassian.com/me',
    profile: (raw) =>
      toProfile('atlassian', raw, {
        id: raw.account_id,
        name: raw.name,
        email: raw.email,
        avatarUrl: raw.picture,
      }),
  }),
);

import {
  definePreset,
  oneOf,
  params,
  segmentOption,
  withScope,
} from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `azure` preset (Microsoft Entra ID).
 * @publicApi
 */
export interface AzurePresetOptions extends PresetOptions {
  /** `common` (default), `organizations`, `consumers`, or a tenant id or domain. */
  tenant?: string;
  /** Adds `offline_access` so a refresh token is issued. */
  offline?: boolean;
  /** `login`, `none`, `consent` or `select_account`. */
  prompt?: 'login' | 'none' | 'consent' | 'select_account';
  /** Skips the home realm discovery page (`domain_hint`). */
  domainHint?: string;
  /** Pre-fills the user name (`login_hint`). */
  loginHint?: string;
}

// Checked 2026-12-01 against https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow: login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize and /token (tenant or common), space-separated
// scopes, PKCE recommended for every app type, refresh tokens only with offline_access (24 hours for single-page apps); no RFC 7009 revocation.
/**
 * Microsoft Entra ID (Azure AD, v2.0 endpoints): credentials from Azure portal → App registrations; scopes `openid email profile User.Read`, `offline_access` for refresh.
 * @publicApi
 */
export const azure = definePreset<AzurePresetOptions>(
  {
    name: 'azure',
    title: 'Microsoft Entra ID (Azure AD)',
    console: 'Azure portal → Microsoft Entra ID → App registrations',
    scopes:
      '`openid email profile User.Read` for the profile; `offline_access` (or `offline: true`) for refresh tokens.',
    defaultScope: ['openid', 'email', 'profile', 'User.Read'],
    options: {
      tenant:
        '`common` (default), `organizations`, `consumers`, a tenant id or domain: goes into the endpoint path',
      offline: 'adds `offline_access` so a refresh token is issued',
      prompt: '`login`, `none`, `consent` or `select_account`',
      domainHint: '`domain_hint`',
      loginHint: '`login_hint`',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    },
  },
  (options, requested) => {
    const tenant = segmentOption(
      'azure',
      'tenant',
      options.tenant ?? 'common',
      "use 'common', 'organizations', 'consumers' or your tenant id from the app registration's Overview",
    );
    const scope = options.offline
      ? withScope(requested, 'offline_access')
      : requested;
    const root = `https://login.microsoftonline.com/${tenant}/oauth2/v2.0`;
    return {
      authorizationUrl: `${root}/authorize`,
      tokenUrl: `${root}/token`,
      // Entra ID only issues refresh tokens to apps that ask for offline_access.
      refreshUrl: scope.includes('offline_access') ? `${root}/token` : false,
      baseUrl: 'https://graph.microsoft.com/v1.0/',
      scope,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        prompt: oneOf('azure', 'prompt', options.prompt, [
          'login',
          'none',
          'consent',
          'select_account',
        ]),
        domain_hint: options.domainHint,
        login_hint: options.loginHint,
      }),
      userInfoUrl: 'https://graph.microsoft.com/v1.0/me',
      profile: (raw) =>
        toProfile('azure', raw, {
          id: raw.id,
          name: raw.displayName,
          email: raw.mail ?? raw.userPrincipalName,
        }),
    };
  },
);

import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `google` preset.
 * @publicApi
 */
export interface GooglePresetOptions extends PresetOptions {
  /**
   * Get a refresh token: `access_type=offline` plus `prompt=consent`, since Google only returns
   * a refresh token when the user consents.
   */
  offline?: boolean;
  /** Ask for consent again (`prompt=consent`). */
  repromptConsent?: boolean;
  /** Let the user pick another account (`prompt=select_account`). */
  repromptSelectAccount?: boolean;
  /** Only accept accounts of this Google Workspace domain (`hd`; check the id_token's `hd` too). */
  hostedDomain?: string;
}

// Checked 2026-12-01 against https://developers.google.com/identity/protocols/oauth2/web-server: accounts.google.com/o/oauth2/v2/auth with space-separated scopes, access_type=offline (plus prompt=consent to get a refresh token again),
// PKCE supported, oauth2.googleapis.com/token for codes and refresh tokens, oauth2.googleapis.com/revoke, incremental authorization with include_granted_scopes.
/**
 * Google: credentials from Google Cloud console → APIs & Services → Credentials (OAuth client ID, Web application); scopes `openid email profile` plus API scopes.
 * @publicApi
 */
export const google = definePreset<GooglePresetOptions>(
  {
    name: 'google',
    title: 'Google',
    console:
      'Google Cloud console → APIs & Services → Credentials → OAuth client ID (Web application)',
    scopes:
      '`openid email profile` for the profile; API scopes such as `https://www.googleapis.com/auth/calendar.readonly`.',
    defaultScope: ['openid', 'email', 'profile'],
    options: {
      offline: 'refresh tokens: `access_type=offline` and `prompt=consent`',
      repromptConsent: '`prompt=consent`',
      repromptSelectAccount: '`prompt=select_account`',
      hostedDomain: 'Workspace domain (`hd`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    },
    notes:
      'Google returns a refresh token only when the user consents: `offline: true` sets `prompt=consent` for that reason.',
  },
  (options) => {
    const prompt = [
      options.offline || options.repromptConsent ? 'consent' : undefined,
      options.repromptSelectAccount ? 'select_account' : undefined,
    ].filter((value) => value !== undefined);
    return {
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      refreshUrl: 'https://oauth2.googleapis.com/token',
      revocationUrl: 'https://oauth2.googleapis.com/revoke',
      baseUrl: 'https://www.googleapis.com/',
      issuer: 'https://accounts.google.com',
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_post',
      authorizationParams: params({
        access_type: options.offline ? 'offline' : undefined,
        // Incremental authorization: a consent to more scopes keeps the ones granted before,
        // and the token's scope lists them all (scopeGrant 'full').
        include_granted_scopes: 'true',
        prompt: prompt.length > 0 ? prompt.join(' ') : undefined,
        hd: options.hostedDomain,
      }),
      userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
      profile: (raw) =>
        toProfile('google', raw, {
          id: raw.sub,
          name: raw.name,
          email: raw.email,
          avatarUrl: raw.picture,
        }),
    };
  },
);

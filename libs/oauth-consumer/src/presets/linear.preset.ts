import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `linear` preset.
 * @publicApi
 */
export interface LinearPresetOptions extends PresetOptions {
  /** `app` makes API writes appear as the app rather than the user (`actor`). */
  actor?: 'user' | 'app';
  /** Ask for consent again, e.g. to switch workspace (`prompt=consent`). */
  prompt?: 'consent';
}

// Checked 2026-12-01 against https://linear.app/developers/oauth-2-0-authentication: linear.app/oauth/authorize with comma-separated scopes (read, write, issues:create...), actor and prompt=consent, PKCE
// supported, api.linear.app/oauth/token (form) and /oauth/revoke; every app moved to short-lived access tokens with refresh tokens on 2026-04-01.
/**
 * Linear: credentials from linear.app → Settings → API → OAuth applications; scopes `read`, `write`, `issues:create`, `comments:create` (comma-separated).
 * @publicApi
 */
export const linear = definePreset<LinearPresetOptions>(
  {
    name: 'linear',
    title: 'Linear',
    console: 'linear.app → Settings → API → OAuth applications',
    scopes:
      '`read` (always granted); `write`, `issues:create`, `comments:create`, `admin`.',
    defaultScope: ['read'],
    options: {
      actor: '`user` (default) or `app` (`actor`)',
      prompt: '`consent`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://linear.app/developers/oauth-2-0-authentication',
    },
    notes:
      'The API is GraphQL (`POST graphql`): there is no REST user endpoint, so no `profile`.',
  },
  (options) => ({
    authorizationUrl: 'https://linear.app/oauth/authorize',
    tokenUrl: 'https://api.linear.app/oauth/token',
    refreshUrl: 'https://api.linear.app/oauth/token',
    revocationUrl: 'https://api.linear.app/oauth/revoke',
    baseUrl: 'https://api.linear.app/',
    scopeSeparator: ',',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      actor: oneOf('linear', 'actor', options.actor, ['user', 'app']),
      prompt: oneOf('linear', 'prompt', options.prompt, ['consent']),
    }),
    tokenResponse: spaceSeparatedScope,
  }),
);

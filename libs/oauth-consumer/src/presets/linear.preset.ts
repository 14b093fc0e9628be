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

import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `heroku` preset.
 * @publicApi
 */
export interface HerokuPresetOptions extends PresetOptions {
  /** The Platform API version sent in `Accept` (default `3`). */
  apiVersion?: string;
}

// Checked 2026-12-01 against https://devcenter.heroku.com/articles/oauth: id.heroku.com/oauth/authorize and id.heroku.com/oauth/token for client libraries (authorization_code and refresh_token grants, secret in
// the body), scopes identity, read, write, global; 8-hour access tokens prefixed HRKU-; revocation through the Platform API, not RFC 7009.
/**
 * Heroku: credentials from dashboard.heroku.com → Account settings → Applications → API clients; scopes `identity`, `read`, `write`, `global`.
 * @publicApi
 */
export const heroku = definePreset<HerokuPresetOptions>(
  {
    name: 'heroku',
    title: 'Heroku',
    console:
      'dashboard.heroku.com → Account settings → Applications → API clients',
    scopes: '`identity` for the account; `read`, `write`, `global` for apps.',
    defaultScope: ['identity'],
    options: {
      apiVersion: 'Platform API version in the `Accept` header (default `3`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://devcenter.heroku.com/articles/oauth',
    },
  },
  (options) => {
    const apiVersion = options.apiVersion ?? '3';
    if (!/^[\w.-]+$/.test(apiVersion)) {
      throw new InvalidOptionsError(
        `heroku(): apiVersion ${JSON.stringify(apiVersion)} is not a version: use e.g. '3'.`,
      );
    }
    return {
      authorizationUrl: 'https://id.heroku.com/oauth/authorize',
      tokenUrl: 'https://id.heroku.com/oauth/token',
      refreshUrl: 'https://id.heroku.com/oauth/token',
      baseUrl: 'https://api.heroku.com/',
      headers: { accept: `application/vnd.heroku+json; version=${apiVersion}` },
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: 'https://api.heroku.com/account',
      profile: (raw) =>
        toProfile('heroku', raw, {
          id: raw.id,
          name: raw.name,
          email: raw.email,
        }),
    };
  },
);

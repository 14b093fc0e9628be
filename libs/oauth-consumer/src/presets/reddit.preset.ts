import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { text, toProfile } from './profile.util';

/**
 * Options of the `reddit` preset.
 * @publicApi
 */
export interface RedditPresetOptions extends PresetOptions {
  /** Ask for a refresh token (`duration=permanent`; default `temporary`, one hour). */
  permanent?: boolean;
  /**
   * The `User-Agent` Reddit requires on every request, unique to the app:
   * `<platform>:<app id>:<version> (by /u/<username>)`.
   */
  userAgent?: string;
}

// Checked 2026-12-01 against https://github.com/reddit-archive/reddit/wiki/OAuth2: www.reddit.com/api/v1/authorize with duration=temporary|permanent (permanent for a refresh token) and a space-separated scope string,
// www.reddit.com/api/v1/access_token with the client id and secret as Basic credentials, /api/v1/revoke_token; a unique User-Agent on every call.
/**
 * Reddit: credentials from reddit.com/prefs/apps (type "web app"); scopes `identity`, `read`, `history`...
 * @publicApi
 */
export const reddit = definePreset<RedditPresetOptions>(
  {
    name: 'reddit',
    title: 'Reddit',
    console: 'reddit.com/prefs/apps → create app (type "web app")',
    scopes:
      '`identity` for the profile; `read`, `history`, `submit`, `mysubreddits`...',
    defaultScope: ['identity'],
    options: {
      permanent: 'refresh tokens (`duration=permanent`)',
      userAgent:
        'the `User-Agent` sent to every Reddit endpoint (required by Reddit)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://github.com/reddit-archive/reddit/wiki/OAuth2',
    },
    notes:
      'Reddit throttles generic user agents: give `userAgent` as `<platform>:<app id>:<version> (by /u/<username>)`.',
  },
  (options) => {
    const userAgent =
      options.userAgent ?? 'node:nest-dance:1.0 (set userAgent)';
    if (/[\r\n]/.test(userAgent)) {
      throw new InvalidOptionsError(
        'reddit(): userAgent must be a single line.',
      );
    }
    return {
      authorizationUrl: 'https://www.reddit.com/api/v1/authorize',
      tokenUrl: 'https://www.reddit.com/api/v1/access_token',
      refreshUrl: 'https://www.reddit.com/api/v1/access_token',
      revocationUrl: 'https://www.reddit.com/api/v1/revoke_token',
      baseUrl: 'https://oauth.reddit.com/',
      headers: { 'user-agent': userAgent },
      tokenHeaders: { 'user-agent': userAgent },
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      authorizationParams: params({
        duration: options.permanent ? 'permanent' : 'temporary',
      }),
      userInfoUrl: 'https://oauth.reddit.com/api/v1/me',
      profile: (raw) =>
        toProfile('reddit', raw, {
          id: raw.id,
          name: raw.name,
          // Reddit HTML-escapes the query string of its image URLs.
          avatarUrl: text(raw.icon_img)?.replace(/&amp;/g, '&'),
        }),
    };
  },
);

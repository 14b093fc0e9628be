import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';
import { spaceSeparatedScope } from './token-response.util';

/**
 * Options of the `threads` preset.
 * @publicApi
 */
export type ThreadsPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions: Authorization Window at threads.com/oauth/authorize (comma-separated scope), POST graph.threads.net/oauth/access_token with the Threads app ID and
// secret for a 1-hour token; a 60-day token comes from GET /access_token?grant_type=th_exchange_token and is renewed with GET /refresh_access_token (no RFC refresh); no PKCE or revocation endpoint.
/**
 * Threads (Meta Threads API): app with the Threads use case; scopes `threads_basic`, `threads_content_publish`, `threads_read_replies`.
 * @publicApi
 */
export const threads = definePreset<ThreadsPresetOptions>(
  {
    name: 'threads',
    title: 'Threads',
    console:
      'Meta for Developers → Create app → Threads use case (Threads app ID and secret, redirect callback URLs)',
    scopes:
      '`threads_basic` (always), `threads_content_publish`, `threads_manage_replies`, `threads_read_replies`, `threads_manage_insights` (comma-separated).',
    defaultScope: ['threads_basic'],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions',
      notes:
        'Long-lived tokens per developers.facebook.com/docs/threads/get-started/long-lived-tokens/ (60 days, refreshable after 24 hours).',
    },
    notes:
      'The code exchange gives a 1-hour token: trade it for a 60-day one with `GET https://graph.threads.net/access_token?grant_type=th_exchange_token&client_secret=…&access_token=…`, and renew that (at least 24 hours old) with `GET /refresh_access_token?grant_type=th_refresh_token`. Use the Threads app ID and secret, not the Meta app ones.',
  },
  () => ({
    authorizationUrl: 'https://threads.com/oauth/authorize',
    tokenUrl: 'https://graph.threads.net/oauth/access_token',
    refreshUrl: false,
    baseUrl: 'https://graph.threads.net/v1.0/',
    scopeSeparator: ',',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    tokenResponse: spaceSeparatedScope,
    userInfoUrl:
      'https://graph.threads.net/v1.0/me?fields=id,username,name,threads_profile_picture_url',
    profile: (raw) =>
      toProfile('threads', raw, {
        id: raw.id,
        name: raw.name ?? raw.username,
        avatarUrl: raw.threads_profile_picture_url,
      }),
  }),
);

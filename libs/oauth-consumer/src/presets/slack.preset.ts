import { definePreset, hostOption, params, scopeList } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import {
  normalizeWith,
  spaceSeparatedScope,
  TokenResponseNormalizer,
} from './token-response.util';

/**
 * Options of the `slack` preset.
 * @publicApi
 */
export interface SlackPresetOptions extends PresetOptions {
  /** Send users to their workspace's sign-in (`{subdomain}.slack.com`). */
  subdomain?: string;
  /** User-token scopes (`user_scope`); default `identity.basic identity.email identity.avatar`. */
  userScope?: string | readonly string[];
  /** Restrict the install to one workspace id (`team`). */
  team?: string;
}

/**
 * Slack's oauth.v2.access nests the user token under `authed_user`: when there is no bot token
 * at the top, the user token becomes the token. The Slack token type (`bot`, `user`) is kept
 * as `slack_token_type`, since API calls use `Bearer` either way.
 */
const slackToken: TokenResponseNormalizer = (body) => {
  const user = body.authed_user;
  const out: Record<string, unknown> = { ...body };
  if (
    typeof out.access_token !== 'string' &&
    typeof user === 'object' &&
    user !== null &&
    typeof (user as Record<string, unknown>).access_token === 'string'
  ) {
    const nested = user as Record<string, unknown>;
    for (const field of [
      'access_token',
      'token_type',
      'scope',
      'refresh_token',
      'expires_in',
    ]) {
      if (nested[field] !== undefined) out[field] = nested[field];
    }
  }
  if (
    typeof out.token_type === 'string' &&
    out.token_type.toLowerCase() !== 'bearer'
  ) {
    out.slack_token_type = out.token_type;
    out.token_type = 'Bearer';
  }
  return out;
};

// Checked 2026-12-01 against https://docs.slack.dev/reference/methods/oauth.v2.access: slack.com/oauth/v2/authorize (comma-separated bot scope and user_scope), slack.com/api/oauth.v2.access (form or JSON) preferring client credentials by Basic, code_verifier for
// PKCE, refresh_token grant with token rotation (12-hour tokens, each refresh token revoked when used); errors come as ok: false with HTTP 200; the user token nests under authed_user.
/**
 * Slack (OAuth v2): credentials from api.slack.com/apps → OAuth & Permissions; bot scopes in `scope`, user scopes in `userScope` (`identity.*` for sign-in).
 * @publicApi
 */
export const slack = definePreset<SlackPresetOptions>(
  {
    name: 'slack',
    title: 'Slack',
    console:
      'api.slack.com/apps → your app → Basic Information / OAuth & Permissions',
    scopes:
      'bot scopes in `scope` (`chat:write`, `channels:read`...); user scopes in `userScope` (default `identity.basic identity.email identity.avatar`).',
    defaultScope: [],
    options: {
      subdomain: 'sign in at `{subdomain}.slack.com`',
      userScope: 'user-token scopes (`user_scope`)',
      team: 'one workspace id (`team`)',
    },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.slack.dev/reference/methods/oauth.v2.access',
      rotating: true,
      notes:
        'Fixed: client credentials now go in a Basic header, as Slack asks, and PKCE is on (oauth.v2.access takes code_verifier).',
    },
    notes:
      'The user token nested in `authed_user` becomes the token when no bot token is issued; comma-separated scopes are normalized. Refresh works when token rotation is on.',
  },
  (options) => {
    const host = options.subdomain
      ? hostOption(
          'slack',
          'subdomain',
          `${options.subdomain}.slack.com`,
          "give the workspace subdomain, e.g. 'acme' for acme.slack.com",
        )
      : 'slack.com';
    const userScope = scopeList(
      options.userScope ?? [
        'identity.basic',
        'identity.email',
        'identity.avatar',
      ],
    );
    return {
      authorizationUrl: `https://${host}/oauth/v2/authorize`,
      tokenUrl: 'https://slack.com/api/oauth.v2.access',
      refreshUrl: 'https://slack.com/api/oauth.v2.access',
      baseUrl: 'https://slack.com/api/',
      scopeSeparator: ',',
      pkce: true,
      tokenAuthMethod: 'client_secret_basic',
      authorizationParams: params({
        user_scope: userScope.length > 0 ? userScope.join(',') : undefined,
        team: options.team,
      }),
      tokenResponse: normalizeWith(slackToken, spaceSeparatedScope),
      userInfoUrl: 'https://slack.com/api/users.identity',
      profile: (raw) =>
        toProfile('slack', raw, {
          id: pick(raw, 'user.id'),
          name: pick(raw, 'user.name'),
          email: pick(raw, 'user.email'),
          avatarUrl: pick(raw, 'user.image_192') ?? pick(raw, 'user.image_72'),
        }),
    };
  },
);

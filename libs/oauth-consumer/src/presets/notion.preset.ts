import { InvalidOptionsError } from '../errors/invalid-options.error';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `notion` preset.
 * @publicApi
 */
export interface NotionPresetOptions extends PresetOptions {
  /** The `Notion-Version` header sent to the API (default `2022-06-28`). */
  notionVersion?: string;
}

// Checked 2026-12-01 against https://developers.notion.com/reference/refresh-a-token: /v1/oauth/authorize, /v1/oauth/token with a Basic header for codes and refresh tokens;
// each refresh returns a new access and refresh token; no scopes, no PKCE documented; its revoke endpoint takes JSON, so none is configured.
/**
 * Notion (public integration): credentials from notion.so/profile/integrations → your public integration → Configuration; capabilities are set there, no scopes.
 * @publicApi
 */
export const notion = definePreset<NotionPresetOptions>(
  {
    name: 'notion',
    title: 'Notion',
    console:
      'notion.so/profile/integrations → your public integration → Configuration (OAuth client id and secret)',
    scopes:
      'none: capabilities are set on the integration; the user picks the pages to share.',
    defaultScope: [],
    options: {
      notionVersion: 'the `Notion-Version` API header (default `2022-06-28`)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.notion.com/reference/refresh-a-token',
      rotating: true,
      notes:
        "Notion's examples now send `Notion-Version: 2025-09-03`; the default stays `2022-06-28` because 2025-09-03 changes database responses (data sources).",
    },
    notes:
      "Client credentials go in a Basic header; `owner=user` is sent. The token response names the workspace and the owner; `users/me` is the integration's bot user, whose `bot.owner.user` is the person.",
  },
  (options) => {
    const version = options.notionVersion ?? '2022-06-28';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
      throw new InvalidOptionsError(
        `notion(): notionVersion ${JSON.stringify(version)} is not a version date: use e.g. '2022-06-28'.`,
      );
    }
    return {
      authorizationUrl: 'https://api.notion.com/v1/oauth/authorize',
      tokenUrl: 'https://api.notion.com/v1/oauth/token',
      refreshUrl: 'https://api.notion.com/v1/oauth/token',
      baseUrl: 'https://api.notion.com/v1/',
      headers: { 'notion-version': version },
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      authorizationParams: { owner: 'user' },
      userInfoUrl: 'https://api.notion.com/v1/users/me',
      profile: (raw) => {
        const person = pick(raw, 'bot.owner.user') ?? raw;
        return toProfile('notion', raw, {
          id: pick(person, 'id'),
          name: pick(person, 'name'),
          email: pick(person, 'person.email'),
          avatarUrl: pick(person, 'avatar_url'),
        });
      },
    };
  },
);

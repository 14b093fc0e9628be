import { definePreset, oneOf, params } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { text, toProfile } from './profile.util';

/**
 * Options of the `discord` preset.
 * @publicApi
 */
export interface DiscordPresetOptions extends PresetOptions {
  /** `consent` asks again every time; `none` skips the screen for users who already authorized. */
  prompt?: 'consent' | 'none';
}

// Checked 2026-12-01 against https://github.com/discord/discord-api-docs/blob/main/docs/topics/oauth2.mdx: discord.com/oauth2/authorize, discord.com/api/oauth2/token and /token/revoke (RFC 7009), form bodies only,
// client credentials by Basic or in the body, space-separated scopes, refresh tokens with the code (7-day access tokens), prompt=consent|none.
/**
 * Discord: credentials from discord.com/developers → Applications → OAuth2; scopes `identify`, `email`, `guilds`.
 * @publicApi
 */
export const discord = definePreset<DiscordPresetOptions>(
  {
    name: 'discord',
    title: 'Discord',
    console: 'discord.com/developers/applications → your app → OAuth2',
    scopes:
      '`identify` for the profile, `email` for the address, `guilds` for the servers.',
    defaultScope: ['identify', 'email'],
    options: { prompt: '`consent` or `none`' },
    flaskDance: true,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://github.com/discord/discord-api-docs/blob/main/docs/topics/oauth2.mdx',
      notes:
        'The page does not describe PKCE; the preset keeps sending an S256 challenge, as it did before this check.',
    },
  },
  (options) => ({
    authorizationUrl: 'https://discord.com/oauth2/authorize',
    tokenUrl: 'https://discord.com/api/oauth2/token',
    refreshUrl: 'https://discord.com/api/oauth2/token',
    revocationUrl: 'https://discord.com/api/oauth2/token/revoke',
    baseUrl: 'https://discord.com/api/v10/',
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: params({
      prompt: oneOf('discord', 'prompt', options.prompt, ['consent', 'none']),
    }),
    userInfoUrl: 'https://discord.com/api/v10/users/@me',
    profile: (raw) => {
      const id = text(raw.id);
      const avatar = text(raw.avatar);
      return toProfile('discord', raw, {
        id,
        name: raw.global_name ?? raw.username,
        email: raw.email,
        avatarUrl:
          id && avatar
            ? `https://cdn.discordapp.com/avatars/${id}/${avatar}.png`
            : undefined,
      });
    },
  }),
);

import { PresetDefaults } from './preset.interface';
import { urlOption } from './preset.util';
import { toProfile } from './profile.util';

/**
 * The endpoints and profile shared by Gitea and its fork Forgejo: both serve the same OAuth 2.0
 * provider under `{base}/login/oauth/*` and the API under `{base}/api/v1/`.
 */
export function giteaFamilyDefaults(
  preset: 'gitea' | 'forgejo',
  baseUrl: string | undefined,
  defaultUrl: string,
): PresetDefaults {
  const base = urlOption(
    preset,
    'baseUrl',
    baseUrl ?? defaultUrl,
    `give the instance's root URL, e.g. '${defaultUrl}'`,
  );
  return {
    authorizationUrl: `${base}/login/oauth/authorize`,
    tokenUrl: `${base}/login/oauth/access_token`,
    refreshUrl: `${base}/login/oauth/access_token`,
    baseUrl: `${base}/api/v1/`,
    scopeSeparator: ' ',
    pkce: true,
    tokenAuthMethod: 'client_secret_post',
    userInfoUrl: `${base}/login/oauth/userinfo`,
    profile: (raw) =>
      toProfile(preset, raw, {
        id: raw.sub,
        name: raw.name ?? raw.preferred_username,
        email: raw.email,
        avatarUrl: raw.picture,
      }),
  };
}

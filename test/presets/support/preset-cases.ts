import {
  BlueprintOptions,
  OAuthProfile,
  Preset,
  PresetName,
  presets,
} from 'nest-dance';
import { ADDED_PRESET_CASES } from './added-preset-cases';
import { CannedResponse } from './recording-server';

/** The client credentials every case uses; the secret has characters Basic auth must encode. */
export const CLIENT_ID = 'client-id-123';
export const CLIENT_SECRET = 's3cret/+= ok';

/**
 * One preset configuration and everything it should produce: the token request, the
 * authorization redirect and the profile mapping. Variants of a preset get their own `name`.
 */
export interface PresetCase {
  /** The preset under test. */
  preset: PresetName;
  /** Options beyond the client credentials (a variant sets `name`). */
  options?: Record<string, unknown>;
  /** A public client: no client secret. */
  publicClient?: boolean;
  /** Client authentication at the token endpoint. */
  auth: 'basic' | 'post' | 'none';
  /** Whether the preset sends a PKCE challenge. */
  pkce: boolean;
  /** Whether the preset can refresh (`refreshUrl` is not `false`). */
  refresh: boolean;
  /** Extra body parameters every token request must carry. */
  tokenBody?: Record<string, string>;
  /** Extra body parameters only the code exchange carries (not the refresh). */
  codeBody?: Record<string, string>;
  /** Headers every token request must carry (lower-case names). */
  tokenHeaders?: Record<string, string>;
  /** Headers the preset sends to the API (`BlueprintOptions.headers`). */
  apiHeaders?: Record<string, string>;
  /** The provider-shaped token response (default: a plain RFC 6749 response). */
  tokenResponse?: CannedResponse;
  /** Fields the normalized token must have. */
  token?: Record<string, unknown>;
  /** Fields the normalized token must not have. */
  tokenWithout?: string[];
  /** The expected authorization redirect: endpoint and the parameters beyond the standard ones. */
  authorize: { url: string; params: Record<string, string> };
  /** A user-info sample from the provider's docs and its expected mapping. */
  profile?: {
    sample: Record<string, unknown>;
    expected: Omit<OAuthProfile, 'raw'>;
  };
}

/** A plain RFC 6749 token response. */
export const STANDARD_TOKEN = {
  access_token: 'at-123',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'rt-456',
};

/** The blueprint name of a case. */
export function caseName(c: PresetCase): string {
  return (c.options?.name as string | undefined) ?? c.preset;
}

/** The blueprint a case's preset returns for its options. */
export function buildCase(c: PresetCase): BlueprintOptions {
  const preset = presets[c.preset] as Preset<never>;
  return preset({
    clientId: CLIENT_ID,
    ...(c.publicClient ? {} : { clientSecret: CLIENT_SECRET }),
    ...c.options,
  } as never);
}

export const PRESET_CASES: PresetCase[] = [
  {
    preset: 'amazon',
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://www.amazon.com/ap/oa',
      params: { scope: 'profile' },
    },
    profile: {
      sample: {
        user_id: 'amznl.account.K2LI23KL2LK2',
        email: 'mhashimoto-04@plaxo.com',
        name: 'Mork Hashimoto',
        postal_code: '98052',
      },
      expected: {
        id: 'amznl.account.K2LI23KL2LK2',
        name: 'Mork Hashimoto',
        email: 'mhashimoto-04@plaxo.com',
      },
    },
  },
  {
    preset: 'apple',
    auth: 'post',
    pkce: false,
    refresh: true,
    // Apple has an issuer: an ID token is validated (see 'token endpoint quirks'), so none here.
    authorize: { url: 'https://appleid.apple.com/auth/authorize', params: {} },
    // No user-info endpoint: the profile is read from the validated ID token's claims.
    profile: {
      sample: {
        iss: 'https://appleid.apple.com',
        sub: '001234.abcdef0123456789.0123',
        email: 'john@privaterelay.appleid.com',
        email_verified: true,
        is_private_email: true,
      },
      expected: {
        id: '001234.abcdef0123456789.0123',
        email: 'john@privaterelay.appleid.com',
      },
    },
  },
  {
    preset: 'apple',
    options: { name: 'apple-named', scope: ['name', 'email'] },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://appleid.apple.com/auth/authorize',
      params: { scope: 'name email', response_mode: 'form_post' },
    },
  },
  {
    preset: 'asana',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        data: {
          gid: '4673218951',
          name: 'Greg Sanchez',
          email: 'gsanchez@example.com',
        },
      },
    },
    token: {
      data: {
        gid: '4673218951',
        name: 'Greg Sanchez',
        email: 'gsanchez@example.com',
      },
    },
    authorize: { url: 'https://app.asana.com/-/oauth_authorize', params: {} },
    profile: {
      sample: {
        data: {
          gid: '12345',
          resource_type: 'user',
          email: 'gsanchez@example.com',
          name: 'Greg Sanchez',
          photo: {
            image_128x128:
              'https://s3.amazonaws.com/profile_photos/12345_128x128.png',
          },
        },
      },
      expected: {
        id: '12345',
        name: 'Greg Sanchez',
        email: 'gsanchez@example.com',
        avatarUrl: 'https://s3.amazonaws.com/profile_photos/12345_128x128.png',
      },
    },
  },
  {
    preset: 'atlassian',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://auth.atlassian.com/authorize',
      params: {
        scope: 'read:me offline_access',
        audience: 'api.atlassian.com',
      },
    },
    profile: {
      sample: {
        account_type: 'atlassian',
        account_id: '5b10a2844c20165700ede21g',
        email: 'mia@example.com',
        name: 'Mia Krystof',
        picture:
          'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default.png',
        account_status: 'active',
      },
      expected: {
        id: '5b10a2844c20165700ede21g',
        name: 'Mia Krystof',
        email: 'mia@example.com',
        avatarUrl:
          'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default.png',
      },
    },
  },
  {
    preset: 'atlassian',
    options: {
      name: 'atlassian-consent',
      repromptConsent: true,
      scope: 'read:jira-work offline_access',
    },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://auth.atlassian.com/authorize',
      params: {
        scope: 'read:jira-work offline_access',
        audience: 'api.atlassian.com',
        prompt: 'consent',
      },
    },
  },
  {
    preset: 'auth0',
    options: {
      domain: 'acme.us.auth0.com',
      audience: 'https://api.acme.test',
      offline: true,
      connection: 'github',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.us.auth0.com/authorize',
      params: {
        scope: 'openid profile email offline_access',
        audience: 'https://api.acme.test',
        connection: 'github',
      },
    },
    profile: {
      sample: {
        sub: 'auth0|248289761001',
        name: 'Jane Josephine Doe',
        nickname: 'JJ',
        picture: 'http://exampleco.com/janedoe/me.jpg',
        email: 'janedoe@exampleco.com',
        email_verified: true,
      },
      expected: {
        id: 'auth0|248289761001',
        name: 'Jane Josephine Doe',
        email: 'janedoe@exampleco.com',
        avatarUrl: 'http://exampleco.com/janedoe/me.jpg',
      },
    },
  },
  {
    preset: 'authentiq',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://connect.authentiq.io/authorize',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: 'VEPRe0ZJeLJj3cX1',
        name: 'Ann Lee',
        email: 'ann@example.com',
      },
      expected: {
        id: 'VEPRe0ZJeLJj3cX1',
        name: 'Ann Lee',
        email: 'ann@example.com',
      },
    },
  },
  {
    preset: 'authentiq',
    options: { name: 'authentiq-self', hostname: 'https://id.example.com/' },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://id.example.com/authorize',
      params: { scope: 'openid profile email' },
    },
  },
  {
    preset: 'azure',
    options: {
      tenant: 'contoso.onmicrosoft.com',
      offline: true,
      prompt: 'select_account',
      domainHint: 'contoso.com',
      loginHint: 'ann@contoso.com',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        scope: 'openid email profile User.Read',
        ext_expires_in: 3600,
        id_token: 'eyJ0eXAiOiJKV1QifQ.e30.sig',
      },
    },
    token: { ext_expires_in: 3600, expires_in: 3600 },
    authorize: {
      url: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
      params: {
        scope: 'openid email profile User.Read offline_access',
        prompt: 'select_account',
        domain_hint: 'contoso.com',
        login_hint: 'ann@contoso.com',
      },
    },
    profile: {
      sample: {
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        displayName: 'Adele Vance',
        mail: null,
        userPrincipalName: 'AdeleV@contoso.com',
      },
      expected: {
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        name: 'Adele Vance',
        email: 'AdeleV@contoso.com',
      },
    },
  },
  {
    preset: 'azure',
    options: { name: 'azure-common' },
    auth: 'post',
    pkce: true,
    refresh: false,
    authorize: {
      url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      params: { scope: 'openid email profile User.Read' },
    },
  },
  {
    preset: 'bitbucket',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'bb-at',
        scopes: 'account email',
        expires_in: 7200,
        refresh_token: 'bb-rt',
        token_type: 'bearer',
        state: 'authorization_code',
      },
    },
    token: { access_token: 'bb-at', scope: 'account email' },
    authorize: {
      url: 'https://bitbucket.org/site/oauth2/authorize',
      params: {},
    },
    profile: {
      sample: {
        uuid: '{e1f5d1b4-7e42-4d5b-8f5c-2c0b1e8c9d0a}',
        account_id: '557058:1a2b3c',
        display_name: 'Ann Lee',
        username: 'annlee',
        links: {
          avatar: { href: 'https://secure.gravatar.com/avatar/abc?d=retro' },
        },
      },
      expected: {
        id: '{e1f5d1b4-7e42-4d5b-8f5c-2c0b1e8c9d0a}',
        name: 'Ann Lee',
        avatarUrl: 'https://secure.gravatar.com/avatar/abc?d=retro',
      },
    },
  },
  {
    preset: 'box',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://account.box.com/api/oauth2/authorize',
      params: {},
    },
    profile: {
      sample: {
        id: '11446498',
        type: 'user',
        name: 'Aaron Levie',
        login: 'ceo@example.com',
        avatar_url: 'https://www.box.com/api/avatar/large/181216415',
      },
      expected: {
        id: '11446498',
        name: 'Aaron Levie',
        email: 'ceo@example.com',
        avatarUrl: 'https://www.box.com/api/avatar/large/181216415',
      },
    },
  },
  {
    preset: 'coinbase',
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://login.coinbase.com/oauth2/auth',
      params: { scope: 'wallet:user:read wallet:user:email offline_access' },
    },
    profile: {
      sample: {
        data: {
          id: '9da7a204-544e-5fd1-9a12-61176c5d4cd8',
          name: 'User One',
          username: 'user1',
          avatar_url: 'https://images.coinbase.com/avatar?h=abc&s=128',
          email: 'user1@example.com',
        },
      },
      expected: {
        id: '9da7a204-544e-5fd1-9a12-61176c5d4cd8',
        name: 'User One',
        email: 'user1@example.com',
        avatarUrl: 'https://images.coinbase.com/avatar?h=abc&s=128',
      },
    },
  },
  {
    preset: 'dexcom',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://api.dexcom.com/v2/oauth2/login',
      params: { scope: 'offline_access' },
    },
  },
  {
    preset: 'dexcom',
    options: { name: 'dexcom-sandbox', sandbox: true },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://sandbox-api.dexcom.com/v2/oauth2/login',
      params: { scope: 'offline_access' },
    },
  },
  {
    preset: 'digitalocean',
    options: { scope: 'read,write' },
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        scope: 'read write',
        info: {
          name: 'Sammy',
          email: 'sammy@digitalocean.com',
          uuid: 'e028b1b9',
        },
      },
    },
    token: {
      scope: 'read write',
      info: {
        name: 'Sammy',
        email: 'sammy@digitalocean.com',
        uuid: 'e028b1b9',
      },
    },
    authorize: {
      url: 'https://cloud.digitalocean.com/v1/oauth/authorize',
      params: { scope: 'read write' },
    },
    profile: {
      sample: {
        account: {
          droplet_limit: 25,
          email: 'sammy@digitalocean.com',
          name: 'Sammy the Shark',
          uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
          email_verified: true,
          status: 'active',
        },
      },
      expected: {
        id: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
        name: 'Sammy the Shark',
        email: 'sammy@digitalocean.com',
      },
    },
  },
  {
    preset: 'discord',
    options: { prompt: 'none' },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://discord.com/oauth2/authorize',
      params: { scope: 'identify email', prompt: 'none' },
    },
    profile: {
      sample: {
        id: '80351110224678912',
        username: 'nelly',
        global_name: 'Nelly',
        discriminator: '0',
        avatar: '8342729096ea3675442027381ff50dfe',
        email: 'nelly@discord.com',
        verified: true,
      },
      expected: {
        id: '80351110224678912',
        name: 'Nelly',
        email: 'nelly@discord.com',
        avatarUrl:
          'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
      },
    },
  },
  {
    preset: 'dropbox',
    options: {
      offline: true,
      forceReapprove: true,
      disableSignup: true,
      requireRole: 'work',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        scope: 'account_info.read files.content.read',
        account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        uid: '12345',
      },
    },
    token: { account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc' },
    authorize: {
      url: 'https://www.dropbox.com/oauth2/authorize',
      params: {
        token_access_type: 'offline',
        force_reapprove: 'true',
        disable_signup: 'true',
        require_role: 'work',
      },
    },
    profile: {
      sample: {
        account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        name: {
          given_name: 'Franz',
          surname: 'Ferdinand',
          display_name: 'Franz Ferdinand (Personal)',
        },
        email: 'franz@dropbox.com',
        email_verified: true,
        profile_photo_url:
          'https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAHWGmIXV3sUuOmBfTz0wPsiqHUpBWvv3ZA?vers=1556069330102&size=128x128',
      },
      expected: {
        id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        name: 'Franz Ferdinand (Personal)',
        email: 'franz@dropbox.com',
        avatarUrl:
          'https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAHWGmIXV3sUuOmBfTz0wPsiqHUpBWvv3ZA?vers=1556069330102&size=128x128',
      },
    },
  },
  {
    preset: 'facebook',
    options: { rerequestDeclinedPermissions: true },
    auth: 'post',
    pkce: false,
    refresh: false,
    // Old Graph API versions answered form-encoded, with `expires` as a string.
    tokenResponse: {
      text: 'access_token=fb-at-123&expires=5183999',
      contentType: 'text/plain; charset=UTF-8',
    },
    token: { access_token: 'fb-at-123', expires_in: 5183999 },
    authorize: {
      url: 'https://www.facebook.com/dialog/oauth',
      params: { scope: 'public_profile,email', auth_type: 'rerequest' },
    },
    profile: {
      sample: {
        id: '10158476120523452',
        name: 'Ann Lee',
        email: 'ann@example.com',
        picture: {
          data: {
            height: 50,
            is_silhouette: false,
            url: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158476120523452',
            width: 50,
          },
        },
      },
      expected: {
        id: '10158476120523452',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl:
          'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158476120523452',
      },
    },
  },
  {
    preset: 'facebook',
    options: { name: 'facebook-v23', apiVersion: 'v23.0' },
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'fb-at',
        token_type: 'bearer',
        expires_in: 5183944,
      },
    },
    token: { expires_in: 5183944 },
    authorize: {
      url: 'https://www.facebook.com/v23.0/dialog/oauth',
      params: { scope: 'public_profile,email' },
    },
  },
  {
    preset: 'figma',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        user_id_string: '1234',
        access_token: 'figu_x',
        expires_in: 7776000,
        refresh_token: 'figur_y',
      },
    },
    token: { user_id_string: '1234' },
    authorize: {
      url: 'https://www.figma.com/oauth',
      params: { scope: 'current_user:read' },
    },
    profile: {
      sample: {
        id: '1234',
        handle: 'Ann Lee',
        img_url: 'https://s3-alpha.figma.com/profile/1234',
        email: 'ann@example.com',
      },
      expected: {
        id: '1234',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl: 'https://s3-alpha.figma.com/profile/1234',
      },
    },
  },
  {
    preset: 'fitbit',
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: { ...STANDARD_TOKEN, scope: 'profile activity', user_id: '257V3V' },
    },
    token: { user_id: '257V3V', scope: 'profile activity' },
    authorize: {
      url: 'https://www.fitbit.com/oauth2/authorize',
      params: { scope: 'profile' },
    },
    profile: {
      sample: {
        user: {
          encodedId: '257V3V',
          displayName: 'Ann L.',
          fullName: 'Ann Lee',
          avatar:
            'https://static0.fitbit.com/images/profile/defaultProfile_100.png',
          avatar150:
            'https://static0.fitbit.com/images/profile/defaultProfile_150.png',
        },
      },
      expected: {
        id: '257V3V',
        name: 'Ann L.',
        avatarUrl:
          'https://static0.fitbit.com/images/profile/defaultProfile_150.png',
      },
    },
  },
  {
    preset: 'github',
    options: { allowSignup: false },
    auth: 'post',
    pkce: true,
    refresh: true,
    apiHeaders: {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    },
    tokenResponse: {
      json: {
        access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
        scope: 'repo,gist',
        token_type: 'bearer',
      },
    },
    token: {
      access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      scope: 'repo gist',
    },
    authorize: {
      url: 'https://github.com/login/oauth/authorize',
      params: { scope: 'read:user user:email', allow_signup: 'false' },
    },
    profile: {
      sample: {
        login: 'octocat',
        id: 1,
        avatar_url: 'https://github.com/images/error/octocat_happy.gif',
        name: 'monalisa octocat',
        email: 'octocat@github.com',
        type: 'User',
      },
      expected: {
        id: '1',
        name: 'monalisa octocat',
        email: 'octocat@github.com',
        avatarUrl: 'https://github.com/images/error/octocat_happy.gif',
      },
    },
  },
  {
    preset: 'gitlab',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: { ...STANDARD_TOKEN, scope: 'read_user', created_at: 1607635748 },
    },
    token: { created_at: 1607635748 },
    authorize: {
      url: 'https://gitlab.com/oauth/authorize',
      params: { scope: 'read_user' },
    },
    profile: {
      sample: {
        id: 1,
        username: 'john_smith',
        name: 'John Smith',
        email: 'john@example.com',
        avatar_url: 'http://localhost:3000/uploads/user/avatar/1/index.jpg',
      },
      expected: {
        id: '1',
        name: 'John Smith',
        email: 'john@example.com',
        avatarUrl: 'http://localhost:3000/uploads/user/avatar/1/index.jpg',
      },
    },
  },
  {
    preset: 'gitlab',
    options: { name: 'gitlab-self', hostname: 'gitlab.example.com' },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://gitlab.example.com/oauth/authorize',
      params: { scope: 'read_user' },
    },
  },
  {
    preset: 'google',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'ya29.a0',
        expires_in: 3599,
        scope: 'openid https://www.googleapis.com/auth/userinfo.email',
        token_type: 'Bearer',
      },
    },
    token: { access_token: 'ya29.a0', expires_in: 3599 },
    authorize: {
      url: 'https://accounts.google.com/o/oauth2/v2/auth',
      params: {
        scope: 'openid email profile',
        include_granted_scopes: 'true',
      },
    },
    profile: {
      sample: {
        sub: '110169484474386276334',
        name: 'Ann Lee',
        given_name: 'Ann',
        family_name: 'Lee',
        picture: 'https://lh3.googleusercontent.com/a/ACg8ocJ',
        email: 'ann@example.com',
        email_verified: true,
      },
      expected: {
        id: '110169484474386276334',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl: 'https://lh3.googleusercontent.com/a/ACg8ocJ',
      },
    },
  },
  {
    preset: 'google',
    options: {
      name: 'google-offline',
      offline: true,
      hostedDomain: 'example.com',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://accounts.google.com/o/oauth2/v2/auth',
      params: {
        scope: 'openid email profile',
        access_type: 'offline',
        include_granted_scopes: 'true',
        prompt: 'consent',
        hd: 'example.com',
      },
    },
  },
  {
    preset: 'google',
    options: {
      name: 'google-select',
      repromptSelectAccount: true,
      repromptConsent: true,
      authorizationParams: { login_hint: 'ann@example.com' },
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://accounts.google.com/o/oauth2/v2/auth',
      params: {
        scope: 'openid email profile',
        include_granted_scopes: 'true',
        prompt: 'consent select_account',
        login_hint: 'ann@example.com',
      },
    },
  },
  {
    preset: 'heroku',
    auth: 'post',
    pkce: false,
    refresh: true,
    apiHeaders: { accept: 'application/vnd.heroku+json; version=3' },
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        user_id: '01234567-89ab-cdef-0123-456789abcdef',
        session_nonce: '2bf3ec81',
      },
    },
    token: { user_id: '01234567-89ab-cdef-0123-456789abcdef' },
    authorize: {
      url: 'https://id.heroku.com/oauth/authorize',
      params: { scope: 'identity' },
    },
    profile: {
      sample: {
        id: '01234567-89ab-cdef-0123-456789abcdef',
        email: 'username@example.com',
        name: 'Tina Edmonds',
        verified: false,
      },
      expected: {
        id: '01234567-89ab-cdef-0123-456789abcdef',
        name: 'Tina Edmonds',
        email: 'username@example.com',
      },
    },
  },
  {
    preset: 'hubspot',
    options: { optionalScope: ['crm.objects.contacts.read'] },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://app.hubspot.com/oauth/authorize',
      params: { scope: 'oauth', optional_scope: 'crm.objects.contacts.read' },
    },
  },
  {
    preset: 'instagram',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        data: [
          {
            access_token: 'IGQVJ-short-lived',
            user_id: '17841405793187218',
            permissions:
              'instagram_business_basic,instagram_business_manage_messages',
          },
        ],
      },
    },
    token: {
      access_token: 'IGQVJ-short-lived',
      user_id: '17841405793187218',
      scope: 'instagram_business_basic instagram_business_manage_messages',
    },
    tokenWithout: ['data'],
    authorize: {
      url: 'https://www.instagram.com/oauth/authorize',
      params: { scope: 'instagram_business_basic' },
    },
    profile: {
      sample: {
        user_id: '17841405793187218',
        username: 'jayposiris',
        name: 'Jay Posiris',
        profile_picture_url:
          'https://scontent.cdninstagram.com/v/t51.2885-19/x.jpg',
        id: '7590282904327202',
      },
      expected: {
        id: '17841405793187218',
        name: 'Jay Posiris',
        avatarUrl: 'https://scontent.cdninstagram.com/v/t51.2885-19/x.jpg',
      },
    },
  },
  {
    preset: 'intuit',
    options: { sandbox: true },
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: { ...STANDARD_TOKEN, x_refresh_token_expires_in: 8726400 },
    },
    token: { x_refresh_token_expires_in: 8726400 },
    authorize: {
      url: 'https://appcenter.intuit.com/connect/oauth2',
      params: {
        scope: 'com.intuit.quickbooks.accounting openid profile email',
      },
    },
    profile: {
      sample: {
        sub: '1182d6ec-2a1f-4aa3-af3e-bb8f2e24b8ac',
        email: 'john@doe.com',
        emailVerified: true,
        givenName: 'John',
        familyName: 'Doe',
      },
      expected: {
        id: '1182d6ec-2a1f-4aa3-af3e-bb8f2e24b8ac',
        name: 'John Doe',
        email: 'john@doe.com',
      },
    },
  },
  {
    preset: 'kakao',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        refresh_token_expires_in: 5184000,
        scope: 'account_email profile',
      },
    },
    token: { refresh_token_expires_in: 5184000 },
    authorize: {
      url: 'https://kauth.kakao.com/oauth/authorize',
      params: { scope: 'profile_nickname,profile_image,account_email' },
    },
    profile: {
      sample: {
        id: 123456789,
        connected_at: '2022-04-11T01:45:28Z',
        kakao_account: {
          profile: {
            nickname: '홍길동',
            profile_image_url: 'http://yyy.kakao.com/dn/.../img_640x640.jpg',
          },
          email: 'sample@sample.com',
        },
      },
      expected: {
        id: '123456789',
        name: '홍길동',
        email: 'sample@sample.com',
        avatarUrl: 'http://yyy.kakao.com/dn/.../img_640x640.jpg',
      },
    },
  },
  {
    preset: 'keycloak',
    options: { baseUrl: 'https://sso.example.com/', realm: 'acme' },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        refresh_expires_in: 1800,
        'not-before-policy': 0,
        session_state: 'abc',
      },
    },
    token: { refresh_expires_in: 1800 },
    authorize: {
      url: 'https://sso.example.com/realms/acme/protocol/openid-connect/auth',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: 'f1b8e4a2-5c1d-4c5e-9e2a-1b2c3d4e5f60',
        email_verified: true,
        preferred_username: 'ann',
        email: 'ann@example.com',
      },
      expected: {
        id: 'f1b8e4a2-5c1d-4c5e-9e2a-1b2c3d4e5f60',
        name: 'ann',
        email: 'ann@example.com',
      },
    },
  },
  {
    preset: 'line',
    options: { botPrompt: 'aggressive' },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://access.line.me/oauth2/v2.1/authorize',
      params: { scope: 'profile openid email', bot_prompt: 'aggressive' },
    },
    profile: {
      sample: {
        sub: 'U1234567890abcdef1234567890abcdef',
        name: 'Taro Line',
        picture: 'https://profile.line-scdn.net/0h8pWWElvzZ19qLk3ywQYYCF',
      },
      expected: {
        id: 'U1234567890abcdef1234567890abcdef',
        name: 'Taro Line',
        avatarUrl: 'https://profile.line-scdn.net/0h8pWWElvzZ19qLk3ywQYYCF',
      },
    },
  },
  {
    preset: 'linear',
    options: { actor: 'app' },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: { ...STANDARD_TOKEN, scope: 'read,write' },
    },
    token: { scope: 'read write' },
    authorize: {
      url: 'https://linear.app/oauth/authorize',
      params: { scope: 'read', actor: 'app' },
    },
  },
  {
    preset: 'linkedin',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://www.linkedin.com/oauth/v2/authorization',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: '782bbtaQ',
        name: 'John Doe',
        given_name: 'John',
        family_name: 'Doe',
        picture:
          'https://media.licdn-ei.com/dms/image/C5F03AQHqK8v7tB1HCQ/profile-displayphoto-shrink_100_100/0/',
        locale: 'en-US',
        email: 'doe@email.com',
        email_verified: true,
      },
      expected: {
        id: '782bbtaQ',
        name: 'John Doe',
        email: 'doe@email.com',
        avatarUrl:
          'https://media.licdn-ei.com/dms/image/C5F03AQHqK8v7tB1HCQ/profile-displayphoto-shrink_100_100/0/',
      },
    },
  },
  {
    preset: 'mailchimp',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: { access_token: 'mc-at', expires_in: 0, scope: null },
    },
    token: { access_token: 'mc-at' },
    tokenWithout: ['expires_in'],
    authorize: {
      url: 'https://login.mailchimp.com/oauth2/authorize',
      params: {},
    },
    profile: {
      sample: {
        dc: 'us1',
        role: 'owner',
        accountname: 'Example Co',
        user_id: 42,
        login: {
          email: 'ann@example.com',
          avatar: null,
          login_id: 42,
          login_name: 'ann',
          login_email: 'ann@example.com',
        },
        api_endpoint: 'https://us1.api.mailchimp.com',
      },
      expected: { id: '42', name: 'ann', email: 'ann@example.com' },
    },
  },
  {
    preset: 'meetup',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://secure.meetup.com/oauth2/authorize',
      params: { scope: 'basic' },
    },
  },
  {
    preset: 'naver',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: { url: 'https://nid.naver.com/oauth2.0/authorize', params: {} },
    profile: {
      sample: {
        resultcode: '00',
        message: 'success',
        response: {
          email: 'openapi@naver.com',
          nickname: 'OpenAPI',
          profile_image:
            'https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif',
          id: '32742776',
          name: '오픈 API',
        },
      },
      expected: {
        id: '32742776',
        name: '오픈 API',
        email: 'openapi@naver.com',
        avatarUrl:
          'https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif',
      },
    },
  },
  {
    preset: 'notion',
    auth: 'basic',
    pkce: false,
    refresh: true,
    apiHeaders: { 'notion-version': '2022-06-28' },
    tokenResponse: {
      json: {
        access_token: 'ntn_123',
        token_type: 'bearer',
        bot_id: 'b3414d65-1224-5ty7-6ffr-cc9d8773drt6',
        workspace_name: "Ann Lee's Notion",
        workspace_id: 'j565j4d7x3-ntyb-4f3b-nbs4-4a8a3f9b8c2e',
        owner: { type: 'user', user: { object: 'user', id: '5389a034' } },
        duplicated_template_id: null,
      },
    },
    token: {
      workspace_id: 'j565j4d7x3-ntyb-4f3b-nbs4-4a8a3f9b8c2e',
      bot_id: 'b3414d65-1224-5ty7-6ffr-cc9d8773drt6',
    },
    authorize: {
      url: 'https://api.notion.com/v1/oauth/authorize',
      params: { owner: 'user' },
    },
    profile: {
      sample: {
        object: 'user',
        id: '16d84278-ab0e-484c-9bdd-b35da3bd8905',
        name: 'pied piper',
        avatar_url: null,
        type: 'bot',
        bot: {
          owner: {
            type: 'user',
            user: {
              object: 'user',
              id: '5389a034-eb5c-47b5-8a9e-f79c99ef166c',
              name: 'christine makenotion',
              avatar_url:
                'https://s3-us-west-2.amazonaws.com/public.notion-static.com/avatar.png',
              type: 'person',
              person: { email: 'christine@makenotion.com' },
            },
          },
          workspace_name: "Ann Lee's Notion",
        },
      },
      expected: {
        id: '5389a034-eb5c-47b5-8a9e-f79c99ef166c',
        name: 'christine makenotion',
        email: 'christine@makenotion.com',
        avatarUrl:
          'https://s3-us-west-2.amazonaws.com/public.notion-static.com/avatar.png',
      },
    },
  },
  {
    preset: 'nylas',
    options: { provider: 'google' },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig',
        scope: 'https://www.googleapis.com/auth/gmail.readonly profile',
        grant_id: 'e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47',
        email: 'nyla@example.com',
        provider: 'google',
      },
    },
    token: {
      grant_id: 'e19f8e1a-eb1c-41c0-b6a6-d2e59daf7f47',
      email: 'nyla@example.com',
    },
    authorize: {
      url: 'https://api.us.nylas.com/v3/connect/auth',
      params: { provider: 'google' },
    },
  },
  {
    preset: 'nylas',
    options: { name: 'nylas-eu', region: 'eu' },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: { url: 'https://api.eu.nylas.com/v3/connect/auth', params: {} },
  },
  {
    preset: 'okta',
    options: { domain: 'https://acme.okta.com/', offline: true },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.okta.com/oauth2/default/v1/authorize',
      params: { scope: 'openid profile email offline_access' },
    },
    profile: {
      sample: {
        sub: '00uid4BxXw6I6TV4m0g3',
        name: 'John Doe',
        preferred_username: 'john.doe@example.com',
        email: 'john.doe@example.com',
      },
      expected: {
        id: '00uid4BxXw6I6TV4m0g3',
        name: 'John Doe',
        email: 'john.doe@example.com',
      },
    },
  },
  {
    preset: 'okta',
    options: {
      name: 'okta-org',
      domain: 'acme.okta.com',
      authorizationServer: null,
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.okta.com/oauth2/v1/authorize',
      params: { scope: 'openid profile email' },
    },
  },
  {
    preset: 'orcid',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'f5af9f51-07e6-4332-8f1a-c0c11c1e3728',
        token_type: 'bearer',
        refresh_token: 'f725f747-3a65-49f6-a231-3e8944ce464d',
        expires_in: 631138518,
        scope: '/authenticate',
        name: 'Sofia Maria Hernandez Garcia',
        orcid: '0000-0001-2345-6789',
      },
    },
    token: { orcid: '0000-0001-2345-6789', expires_in: 631138518 },
    authorize: {
      url: 'https://orcid.org/oauth/authorize',
      params: { scope: 'openid' },
    },
    profile: {
      sample: {
        sub: '0000-0001-2345-6789',
        given_name: 'Sofia',
        family_name: 'Garcia',
      },
      expected: { id: '0000-0001-2345-6789', name: 'Sofia Garcia' },
    },
  },
  {
    preset: 'orcid',
    options: { name: 'orcid-sandbox', sandbox: true },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://sandbox.orcid.org/oauth/authorize',
      params: { scope: 'openid' },
    },
  },
  {
    preset: 'osm',
    auth: 'post',
    pkce: true,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'osm-at',
        token_type: 'Bearer',
        scope: 'read_prefs',
        created_at: 1706000000,
      },
    },
    token: { scope: 'read_prefs' },
    authorize: {
      url: 'https://www.openstreetmap.org/oauth2/authorize',
      params: { scope: 'read_prefs' },
    },
    profile: {
      sample: {
        version: '0.6',
        user: {
          id: 12023,
          display_name: 'jbloggs',
          account_created: '2006-07-21T19:28:26Z',
          img: {
            href: 'https://www.openstreetmap.org/attachments/users/images/000/000/001/original/avatar.jpg',
          },
        },
      },
      expected: {
        id: '12023',
        name: 'jbloggs',
        avatarUrl:
          'https://www.openstreetmap.org/attachments/users/images/000/000/001/original/avatar.jpg',
      },
    },
  },
  {
    preset: 'patreon',
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://www.patreon.com/oauth2/authorize',
      params: { scope: 'identity identity[email]' },
    },
    profile: {
      sample: {
        data: {
          attributes: {
            email: 'corgi@example.com',
            full_name: 'Corgi The Dev',
            image_url: 'https://c8.patreon.com/2/200/1',
          },
          id: '1',
          type: 'user',
        },
        links: { self: 'https://www.patreon.com/api/oauth2/v2/user/1' },
      },
      expected: {
        id: '1',
        name: 'Corgi The Dev',
        email: 'corgi@example.com',
        avatarUrl: 'https://c8.patreon.com/2/200/1',
      },
    },
  },
  {
    preset: 'paypal',
    options: { sandbox: true },
    auth: 'basic',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://www.sandbox.paypal.com/signin/authorize',
      params: { scope: 'openid email profile', flowEntry: 'static' },
    },
    profile: {
      sample: {
        user_id:
          'https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA',
        name: 'identity test',
        emails: [{ value: 'user1@example.com', primary: true }],
      },
      expected: {
        id: 'https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA',
        name: 'identity test',
        email: 'user1@example.com',
      },
    },
  },
  {
    preset: 'pinterest',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'pina_AEA',
        refresh_token: 'pinr_AEA',
        response_type: 'authorization_code',
        token_type: 'bearer',
        expires_in: 2592000,
        refresh_token_expires_in: 31536000,
        scope: 'boards:read,pins:read,user_accounts:read',
      },
    },
    token: {
      scope: 'boards:read pins:read user_accounts:read',
      expires_in: 2592000,
    },
    authorize: {
      url: 'https://www.pinterest.com/oauth/',
      params: { scope: 'user_accounts:read' },
    },
    profile: {
      sample: {
        account_type: 'PINNER',
        id: '549755885175',
        profile_image:
          'https://i.pinimg.com/280x280_RS/42/03/a5/4203a5b6b8e6.jpg',
        website_url: '',
        username: 'annlee',
        business_name: null,
      },
      expected: {
        id: '549755885175',
        name: 'annlee',
        avatarUrl: 'https://i.pinimg.com/280x280_RS/42/03/a5/4203a5b6b8e6.jpg',
      },
    },
  },
  {
    preset: 'reddit',
    options: {
      permanent: true,
      userAgent: 'web:nest-dance-test:1.0 (by /u/tester)',
    },
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenHeaders: { 'user-agent': 'web:nest-dance-test:1.0 (by /u/tester)' },
    apiHeaders: { 'user-agent': 'web:nest-dance-test:1.0 (by /u/tester)' },
    tokenResponse: {
      json: { ...STANDARD_TOKEN, scope: 'identity' },
    },
    token: { scope: 'identity' },
    authorize: {
      url: 'https://www.reddit.com/api/v1/authorize',
      params: { scope: 'identity', duration: 'permanent' },
    },
    profile: {
      sample: {
        id: '1w72',
        name: 'spez',
        icon_img:
          'https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_snoo.png?width=256&amp;height=256&amp;s=abc',
      },
      expected: {
        id: '1w72',
        name: 'spez',
        avatarUrl:
          'https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_snoo.png?width=256&height=256&s=abc',
      },
    },
  },
  {
    preset: 'salesforce',
    options: { isSandbox: true },
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog',
        refresh_token: '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJvvm',
        signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
        scope: 'refresh_token id api',
        instance_url: 'https://acme--dev.sandbox.my.salesforce.com',
        id: 'https://test.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
        token_type: 'Bearer',
        issued_at: '1278448832702',
      },
    },
    token: { instance_url: 'https://acme--dev.sandbox.my.salesforce.com' },
    authorize: {
      url: 'https://test.salesforce.com/services/oauth2/authorize',
      params: { scope: 'id api refresh_token' },
    },
    profile: {
      sample: {
        sub: 'https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P',
        user_id: '005x00000012Q9P',
        organization_id: '00Dx0000000BV7z',
        name: 'Ann Lee',
        email: 'ann@example.com',
        picture: 'https://c.salesforce.com/profilephoto/005/F',
      },
      expected: {
        id: '005x00000012Q9P',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl: 'https://c.salesforce.com/profilephoto/005/F',
      },
    },
  },
  {
    preset: 'salesforce',
    options: {
      name: 'salesforce-mydomain',
      hostname: 'acme.my.salesforce.com',
    },
    auth: 'post',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://acme.my.salesforce.com/services/oauth2/authorize',
      params: { scope: 'id api refresh_token' },
    },
  },
  {
    preset: 'shopify',
    options: { name: 'shopify-offline', shop: 'acme.myshopify.com' },
    auth: 'post',
    pkce: false,
    refresh: true,
    codeBody: { expiring: '1' },
    tokenResponse: {
      json: {
        access_token: 'shpat_6b2a0a4c1f',
        expires_in: 3600,
        refresh_token: 'shprt_9e1d44c0aa',
        refresh_token_expires_in: 7776000,
        scope: 'read_products,write_orders',
      },
    },
    token: {
      access_token: 'shpat_6b2a0a4c1f',
      refresh_token: 'shprt_9e1d44c0aa',
      scope: 'read_products write_orders',
    },
    authorize: {
      url: 'https://acme.myshopify.com/admin/oauth/authorize',
      params: { scope: 'read_products' },
    },
  },
  {
    preset: 'shopify',
    options: {
      shop: 'acme',
      online: true,
      scope: ['read_products', 'write_orders'],
    },
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'f85632530bf277ec9ac6f649fc327f17',
        scope: 'write_orders,read_customers',
      },
    },
    token: {
      access_token: 'f85632530bf277ec9ac6f649fc327f17',
      scope: 'write_orders read_customers',
    },
    authorize: {
      url: 'https://acme.myshopify.com/admin/oauth/authorize',
      params: {
        scope: 'read_products,write_orders',
        'grant_options[]': 'per-user',
      },
    },
  },
  {
    preset: 'slack',
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ok: true,
        app_id: 'A0KRD7HC3',
        authed_user: {
          id: 'U1234',
          scope: 'identity.basic,identity.email,identity.avatar',
          access_token: 'xoxp-1234',
          token_type: 'user',
        },
        team: { id: 'T9TK3CUKW', name: 'Slack Softball Team' },
        enterprise: null,
        is_enterprise_install: false,
      },
    },
    token: {
      access_token: 'xoxp-1234',
      token_type: 'Bearer',
      slack_token_type: 'user',
      scope: 'identity.basic identity.email identity.avatar',
      team: { id: 'T9TK3CUKW', name: 'Slack Softball Team' },
    },
    authorize: {
      url: 'https://slack.com/oauth/v2/authorize',
      params: { user_scope: 'identity.basic,identity.email,identity.avatar' },
    },
    profile: {
      sample: {
        ok: true,
        user: {
          name: 'Sonny Whether',
          id: 'U0G9QF9C6',
          email: 'bobby@slack-corp.com',
          image_24: 'https://cdn.example.com/sonny_24.jpg',
          image_72: 'https://cdn.example.com/sonny_72.jpg',
          image_192: 'https://cdn.example.com/sonny_192.jpg',
        },
        team: { id: 'T0G9PQBBK' },
      },
      expected: {
        id: 'U0G9QF9C6',
        name: 'Sonny Whether',
        email: 'bobby@slack-corp.com',
        avatarUrl: 'https://cdn.example.com/sonny_192.jpg',
      },
    },
  },
  {
    preset: 'slack',
    options: {
      name: 'slack-bot',
      subdomain: 'acme',
      scope: ['chat:write', 'channels:read'],
      userScope: [],
      team: 'T9TK3CUKW',
    },
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ok: true,
        access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
        token_type: 'bot',
        scope: 'commands,incoming-webhook',
        bot_user_id: 'U0KRQLJ9H',
        app_id: 'A0KRD7HC3',
        team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
        authed_user: {
          id: 'U1234',
          scope: 'chat:write',
          access_token: 'xoxp-1234',
          token_type: 'user',
        },
      },
    },
    token: {
      access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
      token_type: 'Bearer',
      slack_token_type: 'bot',
      scope: 'commands incoming-webhook',
      bot_user_id: 'U0KRQLJ9H',
    },
    authorize: {
      url: 'https://acme.slack.com/oauth/v2/authorize',
      params: { scope: 'chat:write,channels:read', team: 'T9TK3CUKW' },
    },
  },
  {
    preset: 'spotify',
    options: { showDialog: true },
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://accounts.spotify.com/authorize',
      params: {
        scope: 'user-read-email user-read-private',
        show_dialog: 'true',
      },
    },
    profile: {
      sample: {
        display_name: 'JM Wizzler',
        email: 'email@example.com',
        id: 'wizzler',
        images: [
          {
            height: null,
            url: 'https://fbcdn-profile-a.akamaihd.net/hprofile-ak-frc3/t1.0-1/1970403_10152215092574354_1798272330_n.jpg',
            width: null,
          },
        ],
        product: 'premium',
      },
      expected: {
        id: 'wizzler',
        name: 'JM Wizzler',
        email: 'email@example.com',
        avatarUrl:
          'https://fbcdn-profile-a.akamaihd.net/hprofile-ak-frc3/t1.0-1/1970403_10152215092574354_1798272330_n.jpg',
      },
    },
  },
  {
    preset: 'strava',
    options: { approvalPrompt: 'force', scope: ['read', 'activity:read_all'] },
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        token_type: 'Bearer',
        expires_at: 1568775134,
        expires_in: 21600,
        refresh_token: 'e5n567567',
        access_token: 'a4b945687g',
        scope: 'read,activity:read_all',
        athlete: { id: 134815, username: 'marianne_t' },
      },
    },
    token: {
      scope: 'read activity:read_all',
      athlete: { id: 134815, username: 'marianne_t' },
    },
    authorize: {
      url: 'https://www.strava.com/oauth/authorize',
      params: { scope: 'read,activity:read_all', approval_prompt: 'force' },
    },
    profile: {
      sample: {
        id: 134815,
        username: 'marianne_t',
        firstname: 'Marianne',
        lastname: 'Teutenberg',
        profile:
          'https://xxxxx.cloudfront.net/pictures/athletes/134815/134815/2/large.jpg',
      },
      expected: {
        id: '134815',
        name: 'Marianne Teutenberg',
        avatarUrl:
          'https://xxxxx.cloudfront.net/pictures/athletes/134815/134815/2/large.jpg',
      },
    },
  },
  {
    preset: 'stripe',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        token_type: 'bearer',
        stripe_publishable_key: 'pk_test_xyz',
        scope: 'read_write',
        livemode: false,
        stripe_user_id: 'acct_1032D82eZvKYlo2C',
        refresh_token: 'rt_Hh8Kf',
        access_token: 'sk_test_abc',
      },
    },
    token: { stripe_user_id: 'acct_1032D82eZvKYlo2C', livemode: false },
    authorize: {
      url: 'https://connect.stripe.com/oauth/authorize',
      params: { scope: 'read_write' },
    },
    profile: {
      sample: {
        id: 'acct_1032D82eZvKYlo2C',
        object: 'account',
        business_profile: { name: 'Acme', icon: null },
        email: 'site@stripe.com',
        settings: { dashboard: { display_name: 'Acme Inc' } },
      },
      expected: {
        id: 'acct_1032D82eZvKYlo2C',
        name: 'Acme',
        email: 'site@stripe.com',
      },
    },
  },
  {
    preset: 'stripe',
    options: { name: 'stripe-express', express: true },
    auth: 'post',
    pkce: false,
    refresh: true,
    authorize: {
      url: 'https://connect.stripe.com/express/oauth/authorize',
      params: { scope: 'read_write' },
    },
  },
  {
    preset: 'tiktok',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenBody: { client_key: CLIENT_ID },
    tokenResponse: {
      json: {
        access_token: 'act.example12345Example12345Example',
        expires_in: 86400,
        open_id: 'afd97af1-b87b-48b9-ac98-410aghda5344',
        refresh_expires_in: 31536000,
        refresh_token: 'rft.example12345Example12345Example',
        scope: 'user.info.basic,video.list',
        token_type: 'Bearer',
      },
    },
    token: {
      open_id: 'afd97af1-b87b-48b9-ac98-410aghda5344',
      scope: 'user.info.basic video.list',
    },
    authorize: {
      url: 'https://www.tiktok.com/v2/auth/authorize/',
      params: { scope: 'user.info.basic', client_key: CLIENT_ID },
    },
    profile: {
      sample: {
        data: {
          user: {
            avatar_url:
              'https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg',
            open_id: '723f24d7-e717-40f8-a2b6-cb8464cd23b4',
            union_id: 'c9c60f44-a68e-4f5d-84dd-ce22faeb0ba1',
            display_name: 'Tik Toker',
          },
        },
        error: {
          code: 'ok',
          message: '',
          log_id: '20220829194722CBE87ED59D524E727021',
        },
      },
      expected: {
        id: '723f24d7-e717-40f8-a2b6-cb8464cd23b4',
        name: 'Tik Toker',
        avatarUrl:
          'https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg',
      },
    },
  },
  {
    preset: 'todoist',
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: '0123456789abcdef0123456789abcdef01234567',
        token_type: 'Bearer',
      },
    },
    token: { access_token: '0123456789abcdef0123456789abcdef01234567' },
    authorize: {
      url: 'https://todoist.com/oauth/authorize',
      params: { scope: 'data:read' },
    },
    profile: {
      sample: {
        id: '2671355',
        full_name: 'Ann Lee',
        email: 'ann@example.com',
        avatar_big: 'https://dcff1xvirvpfp.cloudfront.net/6c4e0e7f_big.jpg',
      },
      expected: {
        id: '2671355',
        name: 'Ann Lee',
        email: 'ann@example.com',
        avatarUrl: 'https://dcff1xvirvpfp.cloudfront.net/6c4e0e7f_big.jpg',
      },
    },
  },
  {
    preset: 'twitch',
    options: { forceVerify: true },
    auth: 'post',
    pkce: false,
    refresh: true,
    apiHeaders: { 'client-id': CLIENT_ID },
    tokenResponse: {
      json: {
        access_token: 'rfx2uswqe8l4g1mkagrvg5tv0ks3',
        expires_in: 14124,
        refresh_token: '5b93chm6hdve3mycz05zfzatkfdenfspp1h1ar2xxdalen01',
        scope: ['channel:moderate', 'chat:edit', 'chat:read'],
        token_type: 'bearer',
      },
    },
    token: { scope: 'channel:moderate chat:edit chat:read', expires_in: 14124 },
    authorize: {
      url: 'https://id.twitch.tv/oauth2/authorize',
      params: { scope: 'user:read:email', force_verify: 'true' },
    },
    profile: {
      sample: {
        data: [
          {
            id: '141981764',
            login: 'twitchdev',
            display_name: 'TwitchDev',
            type: '',
            broadcaster_type: 'partner',
            profile_image_url:
              'https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png',
            email: 'not-real@email.com',
          },
        ],
      },
      expected: {
        id: '141981764',
        name: 'TwitchDev',
        email: 'not-real@email.com',
        avatarUrl:
          'https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png',
      },
    },
  },
  {
    preset: 'twitter',
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        expires_in: 7200,
        scope: 'users.read tweet.read offline.access',
      },
    },
    token: { expires_in: 7200 },
    authorize: {
      url: 'https://x.com/i/oauth2/authorize',
      params: { scope: 'users.read tweet.read offline.access' },
    },
    profile: {
      sample: {
        data: {
          id: '2244994945',
          name: 'Developers',
          username: 'XDevelopers',
          profile_image_url:
            'https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg',
        },
      },
      expected: {
        id: '2244994945',
        name: 'Developers',
        avatarUrl:
          'https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg',
      },
    },
  },
  {
    preset: 'twitter',
    options: { name: 'twitter-public' },
    publicClient: true,
    auth: 'none',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://x.com/i/oauth2/authorize',
      params: { scope: 'users.read tweet.read offline.access' },
    },
  },
  {
    preset: 'vk',
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: '533bacf01e11f55b536a565b57531ac114461ae8736d6506a3',
        expires_in: 0,
        user_id: 8492,
        email: 'ann@example.com',
      },
    },
    token: { user_id: 8492, email: 'ann@example.com' },
    tokenWithout: ['expires_in'],
    authorize: {
      url: 'https://oauth.vk.com/authorize',
      params: { scope: 'email', v: '5.199', display: 'page' },
    },
    profile: {
      sample: {
        response: [
          {
            id: 210700286,
            first_name: 'Lindsey',
            last_name: 'Stirling',
            photo_200:
              'https://sun1-99.userapi.com/s/v1/ig2/x.jpg?size=200x200',
          },
        ],
      },
      expected: {
        id: '210700286',
        name: 'Lindsey Stirling',
        avatarUrl: 'https://sun1-99.userapi.com/s/v1/ig2/x.jpg?size=200x200',
      },
    },
  },
  {
    preset: 'webex',
    auth: 'post',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: { ...STANDARD_TOKEN, refresh_token_expires_in: 7776000 },
    },
    token: { refresh_token_expires_in: 7776000 },
    authorize: {
      url: 'https://webexapis.com/v1/authorize',
      params: { scope: 'spark:people_read' },
    },
    profile: {
      sample: {
        id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY',
        emails: ['john.andersen@example.com'],
        displayName: 'John Andersen',
        avatar:
          'https://1efa7a94ed21783e352-c62266528714497a17239ececf39e9e2.ssl.cf1.rackcdn.com/V1~54c8',
      },
      expected: {
        id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY',
        name: 'John Andersen',
        email: 'john.andersen@example.com',
        avatarUrl:
          'https://1efa7a94ed21783e352-c62266528714497a17239ececf39e9e2.ssl.cf1.rackcdn.com/V1~54c8',
      },
    },
  },
  {
    preset: 'wordpress',
    options: { blog: 'example.wordpress.com' },
    auth: 'post',
    pkce: false,
    refresh: false,
    tokenResponse: {
      json: {
        access_token: 'wp-at',
        blog_id: '12345',
        blog_url: 'https://example.wordpress.com',
        token_type: 'bearer',
      },
    },
    token: { blog_id: '12345' },
    authorize: {
      url: 'https://public-api.wordpress.com/oauth2/authorize',
      params: { scope: 'auth', blog: 'example.wordpress.com' },
    },
    profile: {
      sample: {
        ID: 1234,
        display_name: 'Ann',
        username: 'annlee',
        email: 'ann@example.com',
        avatar_URL: 'https://0.gravatar.com/avatar/abc?s=96&d=identicon',
      },
      expected: {
        id: '1234',
        name: 'Ann',
        email: 'ann@example.com',
        avatarUrl: 'https://0.gravatar.com/avatar/abc?s=96&d=identicon',
      },
    },
  },
  {
    preset: 'xero',
    auth: 'basic',
    pkce: true,
    refresh: true,
    authorize: {
      url: 'https://login.xero.com/identity/connect/authorize',
      params: { scope: 'openid profile email offline_access' },
    },
    profile: {
      sample: {
        sub: 'e1e6f4d2a6f14c7b8a0b5c2d3e4f5a6b',
        xero_userid: '16da3e6b-8f3d-4b95-9d8f-46b8eb4a5a8e',
        given_name: 'Ann',
        family_name: 'Lee',
        name: 'Ann Lee',
        email: 'ann@example.com',
      },
      expected: {
        id: '16da3e6b-8f3d-4b95-9d8f-46b8eb4a5a8e',
        name: 'Ann Lee',
        email: 'ann@example.com',
      },
    },
  },
  {
    preset: 'yahoo',
    auth: 'basic',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        xoauth_yahoo_guid: 'JT4FACLQZI2OCE',
        id_token: 'eyJ.e30.sig',
      },
    },
    token: { xoauth_yahoo_guid: 'JT4FACLQZI2OCE' },
    authorize: {
      url: 'https://api.login.yahoo.com/oauth2/request_auth',
      params: { scope: 'openid profile email' },
    },
    profile: {
      sample: {
        sub: 'FSVIDUW3D7FSVIDUW3D72F2F',
        name: 'Jane Doe',
        given_name: 'Jane',
        family_name: 'Doe',
        locale: 'en-US',
        email: 'janedoe@example.com',
        email_verified: true,
        picture: 'https://s.yimg.com/ag/images/4567/default_192sq.jpg',
      },
      expected: {
        id: 'FSVIDUW3D7FSVIDUW3D72F2F',
        name: 'Jane Doe',
        email: 'janedoe@example.com',
        avatarUrl: 'https://s.yimg.com/ag/images/4567/default_192sq.jpg',
      },
    },
  },
  {
    preset: 'yandex',
    options: { forceConfirm: true },
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        access_token: 'AQAAAACy1C6ZAAAAfa6vDLuItEy8pg-iIpnDxIs',
        expires_in: 31536000,
        refresh_token:
          '1:GN686QVt0mmakDd9:A4pYuW9LGk0_UnlrMIWklkAuJkUWbq27loFekJVmSYrdfzdePBy7:A-2dHOmBxiXgajnD-kYOwQ',
        token_type: 'bearer',
      },
    },
    token: { token_type: 'OAuth', expires_in: 31536000 },
    authorize: {
      url: 'https://oauth.yandex.com/authorize',
      params: { force_confirm: 'yes' },
    },
    profile: {
      sample: {
        login: 'ivan',
        old_social_login: 'uid-mmzxrnry',
        default_email: 'test@yandex.ru',
        id: '1000034426',
        client_id: '4760187d81bc4b7799476b42b5103713',
        emails: ['test@yandex.ru'],
        default_avatar_id: '131652443',
        is_avatar_empty: false,
        real_name: 'Ivan Ivanov',
        display_name: 'ivan',
      },
      expected: {
        id: '1000034426',
        name: 'Ivan Ivanov',
        email: 'test@yandex.ru',
        avatarUrl: 'https://avatars.yandex.net/get-yapic/131652443/islands-200',
      },
    },
  },
  {
    preset: 'zoho',
    options: { offline: true, domain: 'eu' },
    auth: 'post',
    pkce: false,
    refresh: true,
    tokenResponse: {
      json: {
        access_token:
          '1000.41d9f2cfbd1b7a8f9e314b7aff7bc2d1.8fcc9810810a216793f385b9dd6e125f',
        refresh_token:
          '1000.8ecd474cde3ad0a6e8f9e1b0b3f5a2c7.6a8b4e2d0f1c3a5b7d9e2f4a6c8b0d1e',
        api_domain: 'https://www.zohoapis.eu',
        token_type: 'Bearer',
        expires_in: 3600000,
        expires_in_sec: 3600,
      },
    },
    token: {
      token_type: 'Zoho-oauthtoken',
      expires_in: 3600,
      api_domain: 'https://www.zohoapis.eu',
    },
    authorize: {
      url: 'https://accounts.zoho.eu/oauth/v2/auth',
      params: {
        scope: 'AaaServer.profile.READ',
        access_type: 'offline',
        prompt: 'consent',
      },
    },
    profile: {
      sample: {
        First_Name: 'Ann',
        Email: 'ann@example.com',
        Last_Name: 'Lee',
        Display_Name: 'Ann Lee',
        ZUID: 20012345,
      },
      expected: { id: '20012345', name: 'Ann Lee', email: 'ann@example.com' },
    },
  },
  {
    preset: 'zoom',
    auth: 'basic',
    pkce: true,
    refresh: true,
    tokenResponse: {
      json: {
        ...STANDARD_TOKEN,
        scope: 'user:read:user',
        api_url: 'https://api.zoom.us',
      },
    },
    token: { api_url: 'https://api.zoom.us' },
    authorize: { url: 'https://zoom.us/oauth/authorize', params: {} },
    profile: {
      sample: {
        id: 'KDcuGIm1QgePTO8WbOqwIQ',
        first_name: 'Jill',
        last_name: 'Chill',
        display_name: 'Jill Chill',
        email: 'jchill@example.com',
        pic_url: 'https://example.com/photo.jpg',
      },
      expected: {
        id: 'KDcuGIm1QgePTO8WbOqwIQ',
        name: 'Jill Chill',
        email: 'jchill@example.com',
        avatarUrl: 'https://example.com/photo.jpg',
      },
    },
  },
  ...ADDED_PRESET_CASES,
];

import { InvalidOptionsError } from '../errors/invalid-options.error';
import { AppleClientSecret } from '../protocol/apple-client-secret.util';
import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `apple` preset. `clientId` is the Services ID. Give `teamId`, `keyId` and
 * `privateKey` and the client secret (an ES256 JWT) is made for you and renewed before it
 * expires; or give `clientSecret`, a JWT you signed yourself (valid up to six months).
 * @publicApi
 */
export interface ApplePresetOptions extends PresetOptions {
  /** Your 10-character Team ID (developer.apple.com → Membership). */
  teamId?: string;
  /** The Key ID of your Sign in with Apple key. */
  keyId?: string;
  /** The content of that key's `.p8` file (PKCS#8 PEM). */
  privateKey?: string;
  /** How long each client secret made from the key is valid, in seconds (default 3600). */
  clientSecretLifetimeSeconds?: number;
}

// Checked 2026-12-01 against https://developer.apple.com/documentation/signinwithapplerestapi/generate-and-validate-tokens: appleid.apple.com/auth/token takes client_id, an ES256 JWT client_secret, code, grant_type and
// redirect_uri as form data, and validates refresh tokens too; /auth/revoke takes token and token_type_hint; no user-info endpoint (the id_token carries the user).
/**
 * Sign in with Apple: Services ID and key from developer.apple.com → Certificates, Identifiers & Profiles; scopes `name`, `email` (these force `response_mode=form_post`).
 * @publicApi
 */
export const apple = definePreset<ApplePresetOptions>(
  {
    name: 'apple',
    title: 'Apple (Sign in with Apple)',
    console:
      'developer.apple.com → Certificates, Identifiers & Profiles → Services IDs and Keys',
    scopes:
      'none, or `name email`: Apple then requires `response_mode=form_post` (the callback is a POST).',
    defaultScope: [],
    options: {
      teamId:
        'your Team ID: with `keyId` and `privateKey`, the client secret JWT is made and renewed for you',
      keyId: 'the Key ID of your Sign in with Apple key',
      privateKey:
        "the key's .p8 file content, e.g. `readFileSync('AuthKey_ABC123DEFG.p8', 'utf8')`",
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.apple.com/documentation/signinwithapplerestapi/generate-and-validate-tokens',
    },
    notes:
      'The client secret is an ES256 JWT signed with your Apple key: give `teamId`, `keyId` and `privateKey` and it is made and renewed for you (or sign one yourself, valid up to six months, as `clientSecret`). ' +
      "Apple has no user-info endpoint: the id_token carries `sub` and `email`. With `name`/`email` scopes Apple POSTs the answer back (`response_mode=form_post`): nest-dance takes that cross-site POST on the callback route, checking the state from a `SameSite=None; Secure` cookie scoped to it, and the user's name, sent on the first sign-in only, becomes the profile's `name`.",
  },
  (options, requested) => ({
    clientSecretFactory: appleSecretFactory(options),
    profile: (raw) =>
      toProfile('apple', raw, {
        id: raw.sub,
        email: raw.email,
        name: raw.name,
      }),
    authorizationUrl: 'https://appleid.apple.com/auth/authorize',
    tokenUrl: 'https://appleid.apple.com/auth/token',
    refreshUrl: 'https://appleid.apple.com/auth/token',
    revocationUrl: 'https://appleid.apple.com/auth/revoke',
    issuer: 'https://appleid.apple.com',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    // Apple refuses `name`/`email` scopes unless the answer is POSTed back.
    authorizationParams:
      requested.length > 0 ? { response_mode: 'form_post' } : undefined,
  }),
);

/** The client secret maker from `teamId`, `keyId` and `privateKey`, when they are given. */
function appleSecretFactory(
  options: ApplePresetOptions,
): (() => Promise<string>) | undefined {
  const { teamId, keyId, privateKey } = options;
  const given = [teamId, keyId, privateKey].filter((v) => v !== undefined);
  if (given.length === 0) return undefined;
  if (options.clientSecret !== undefined) {
    throw new InvalidOptionsError(
      'apple(): give clientSecret (a JWT you signed) or teamId, keyId and privateKey (the secret is then made for you), not both.',
    );
  }
  const secret = new AppleClientSecret({
    clientId: options.clientId,
    teamId: teamId as string,
    keyId: keyId as string,
    privateKey: privateKey as string,
    lifetimeSeconds: options.clientSecretLifetimeSeconds,
  });
  return () => secret.secret();
}

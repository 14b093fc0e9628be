import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';

/**
 * Options of the `apple` preset. `clientId` is the Services ID; `clientSecret` is the ES256
 * JWT you sign with your Sign in with Apple key (valid up to six months).
 * @publicApi
 */
export type ApplePresetOptions = PresetOptions;

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
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developer.apple.com/documentation/signinwithapplerestapi/generate-and-validate-tokens',
    },
    notes:
      'The client secret is a JWT signed with your Apple key (ES256), renewed at least every six months. Apple has no user-info endpoint: the id_token carries `sub` and `email`; the name arrives once, in the form post.',
  },
  (_options, requested) => ({
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

import { definePreset, hostOption } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { toProfile } from './profile.util';

/**
 * Options of the `cognito` preset.
 * @publicApi
 */
export interface CognitoPresetOptions extends PresetOptions {
  /** The user pool domain: the prefix domain (`acme.auth.us-east-1.amazoncognito.com`) or your custom domain. */
  domain: string;
}

// Checked 2026-12-01 against https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html: {domain}/oauth2/authorize, /oauth2/token (Basic header
// for clients with a secret), /oauth2/userInfo and /oauth2/revoke on the user pool domain; PKCE S256 supported; space-separated scopes; refresh_token grant at /oauth2/token.
/**
 * Amazon Cognito user pools (managed login): app client from the Cognito console; scopes `openid email profile`, `aws.cognito.signin.user.admin`, resource-server scopes.
 * @publicApi
 */
export const cognito = definePreset<CognitoPresetOptions>(
  {
    name: 'cognito',
    title: 'Amazon Cognito',
    console:
      'AWS console → Amazon Cognito → User pools → App clients (confidential client, allowed callback URL, OAuth scopes)',
    scopes:
      "`openid email profile`; `phone`, `aws.cognito.signin.user.admin`, or your resource servers' custom scopes.",
    defaultScope: ['openid', 'email', 'profile'],
    options: {
      domain:
        'user pool domain, e.g. `acme.auth.us-east-1.amazoncognito.com` or a custom domain (required)',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html',
    },
    example: { domain: 'acme.auth.us-east-1.amazoncognito.com' },
    notes:
      'The ID token issuer is `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, not the domain: the preset sets no issuer, so the profile comes from `/oauth2/userInfo`. Refresh tokens are issued by default (30 days unless the app client says otherwise).',
  },
  (options) => {
    const domain = hostOption(
      'cognito',
      'domain',
      options.domain,
      "give the user pool domain, e.g. 'acme.auth.us-east-1.amazoncognito.com'",
    );
    return {
      authorizationUrl: `https://${domain}/oauth2/authorize`,
      tokenUrl: `https://${domain}/oauth2/token`,
      refreshUrl: `https://${domain}/oauth2/token`,
      revocationUrl: `https://${domain}/oauth2/revoke`,
      baseUrl: `https://${domain}/`,
      scopeSeparator: ' ',
      pkce: true,
      tokenAuthMethod: 'client_secret_basic',
      userInfoUrl: `https://${domain}/oauth2/userInfo`,
      profile: (raw) =>
        toProfile('cognito', raw, {
          id: raw.sub,
          name: raw.name ?? raw.username,
          email: raw.email,
        }),
    };
  },
);

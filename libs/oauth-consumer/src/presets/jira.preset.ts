import { Type } from '@nestjs/common';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { oauth1 } from '../oauth1/oauth1.blueprint';
import { TokenStorage } from '../storage/token-storage.interface';
import { Preset, PresetInfo } from './preset.interface';
import { hostOption, urlOption } from './preset.util';
import { pick, toProfile } from './profile.util';

/**
 * Options of the `jira` preset (OAuth 1.0a with RSA-SHA1, as Jira application links use).
 * @publicApi
 */
export interface JiraPresetOptions {
  /** The blueprint name: route segment and token `provider` (default `jira`). */
  name?: string;
  /** The Jira server's root URL, with its context path if any (e.g. `https://jira.example.com` or `https://example.com/jira`). */
  baseUrl?: string;
  /** The Jira server's host, when it is served at `https://{hostname}/` (instead of `baseUrl`). */
  hostname?: string;
  /** The consumer key entered in the application link's incoming authentication. */
  consumerKey: string;
  /** The PEM RSA private key whose public key is entered in the application link. */
  rsaPrivateKey: string;
  /** The callback URL; built from the app's public origin when omitted. */
  redirectUrl?: string;
  /** Where the browser goes after the dance (default: the module's `redirectTo`). */
  redirectTo?: string;
  /** A storage class for this blueprint's tokens instead of the module's `storage`. */
  storage?: Type<TokenStorage>;
}

const INFO: PresetInfo = {
  name: 'jira',
  title: 'Jira (Server / Data Center)',
  console:
    'Jira administration → Applications → Application links: create a link to your app with incoming authentication, entering a consumer key and the public key of your RSA key pair',
  scopes:
    'none: OAuth 1.0a has no scopes, the token acts with the permissions of the user who approved it.',
  defaultScope: [],
  options: {
    baseUrl:
      "the Jira server's root URL, with its context path (e.g. `https://jira.example.com`)",
    hostname: 'or the host of a Jira served at `https://{hostname}/`',
    consumerKey: "the application link's consumer key (required)",
    rsaPrivateKey:
      "the PEM private key whose public key is in the application link (required), e.g. `readFileSync('jira_privatekey.pem', 'utf8')`",
  },
  flaskDance: true,
  verification: {
    checkedOn: '2026-12-01',
    page: 'https://developer.atlassian.com/display/JIRADEV/JIRA+REST+API+Example+-+OAuth+authentication',
    notes:
      'Atlassian marks OAuth 1.0a deprecated for Jira Cloud (use atlassian); Jira Data Center also offers OAuth 2.0 application links.',
  },
  example: {
    baseUrl: 'https://jira.example.com',
    consumerKey: 'nest-dance',
    rsaPrivateKey:
      '-----BEGIN PRIVATE KEY-----\n(your key)\n-----END PRIVATE KEY-----',
  },
  notes:
    'OAuth 1.0a with RSA-SHA1 (see docs/oauth1.md): no refresh, tokens stored as `{ access_token, oauth_token_secret }` and every `blueprint.fetch` is signed. ' +
    'Jira Cloud uses OAuth 2.0: take `atlassian`.',
};

// Checked 2026-12-01 against https://developer.atlassian.com/display/JIRADEV/JIRA+REST+API+Example+-+OAuth+authentication: an application link with incoming OAuth (consumer key and RSA public key), RSA-SHA1 signatures, request token at
// {base}/plugins/servlet/oauth/request-token, authorize at /plugins/servlet/oauth/authorize, access token at /plugins/servlet/oauth/access-token; no refresh.
/**
 * Jira Server / Data Center over OAuth 1.0a (RSA-SHA1): an application link with a consumer key and your RSA public key; the API at `{baseUrl}/rest/api/2/`.
 * @publicApi
 */
export const jira: Preset<JiraPresetOptions> = Object.assign(
  (options: JiraPresetOptions): BlueprintOptions => {
    const base = jiraBaseUrl(options);
    return oauth1({
      name: options.name ?? 'jira',
      consumerKey: required(options.consumerKey, 'consumerKey', INFO.console),
      rsaPrivateKey: required(
        options.rsaPrivateKey,
        'rsaPrivateKey',
        "the PEM text of the key pair's private key, e.g. readFileSync('jira_privatekey.pem', 'utf8')",
      ),
      signatureMethod: 'RSA-SHA1',
      requestTokenUrl: `${base}/plugins/servlet/oauth/request-token`,
      authorizationUrl: `${base}/plugins/servlet/oauth/authorize`,
      accessTokenUrl: `${base}/plugins/servlet/oauth/access-token`,
      baseUrl: `${base}/`,
      userInfoUrl: `${base}/rest/api/2/myself`,
      redirectUrl: options.redirectUrl,
      redirectTo: options.redirectTo,
      storage: options.storage,
      profile: (raw) =>
        toProfile('jira', raw, {
          // Jira Server has a `key`; Jira instances with GDPR mode an `accountId`.
          id: raw.key ?? raw.accountId ?? raw.name,
          name: raw.displayName,
          email: raw.emailAddress,
          avatarUrl: pick(raw, 'avatarUrls.48x48'),
        }),
    });
  },
  { info: Object.freeze({ ...INFO }) },
);

function jiraBaseUrl(options: JiraPresetOptions): string {
  const hint =
    "give your Jira server's root URL, e.g. baseUrl: 'https://jira.example.com'";
  if (options?.baseUrl !== undefined && options.hostname !== undefined) {
    throw new InvalidOptionsError(
      'jira(): give baseUrl or hostname, not both.',
    );
  }
  if (options?.hostname !== undefined) {
    return `https://${hostOption('jira', 'hostname', options.hostname, hint)}`;
  }
  return urlOption('jira', 'baseUrl', options?.baseUrl, hint);
}

function required(value: unknown, option: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionsError(`jira(): ${option} is required: ${hint}.`);
  }
  return value;
}

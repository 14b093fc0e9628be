import { createPrivateKey, randomBytes } from 'node:crypto';
import type * as NodeOAuth from 'oauth';
import type { oauth1tokenCallback } from 'oauth';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { TokenEndpointLimits } from '../protocol/token-endpoint.client';
import { readLimitedBody } from '../protocol/limited-body.util';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { redactText } from '../redaction/redact.util';
import { withoutReservedTokenFields } from '../storage/reserved-token-fields.util';
import { optionalPeerClass } from '../optional-peer.util';

const DEFAULT_LIMITS: Required<TokenEndpointLimits> = {
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  maxJsonDepth: 20,
};

/** Request parameters to sign: query and form body pairs (a repeated name has several values). */
export type OAuth1Params = Record<string, string | string[]>;

/** What a token endpoint of OAuth 1.0a answered: the token, its secret and any extra fields. */
export interface OAuth1Credentials {
  token: string;
  secret: string;
  /** Other fields of the answer (e.g. `oauth_callback_confirmed`, a user id). */
  extras: Record<string, string>;
}

type TokenCallback = (
  error: unknown,
  token?: string,
  secret?: string,
  extras?: Record<string, string>,
) => void;

/** node-oauth's client class, loaded when installed (an optional peer: `npm install oauth`). */
const OAuthBase = optionalPeerClass(
  {
    packageName: 'oauth',
    feature: 'OAuth 1.0a blueprints (oauth1)',
    install: 'oauth passport-oauth1',
  },
  (oauth: typeof NodeOAuth) => oauth.OAuth,
);

/**
 * One blueprint's OAuth 1.0a client (RFC 5849). node-oauth (the `oauth` package) computes
 * every signature (HMAC-SHA1 with the consumer secret, RSA-SHA1 with the RSA private key);
 * requests go through `fetch` with the token endpoint limits, no redirects and redacted
 * errors, and nonces come from `crypto.randomBytes`. passport-oauth1 drives it through
 * `getOAuthRequestToken` / `getOAuthAccessToken`; `blueprint.fetch` through `authorization`.
 * @publicApi
 */
export class OAuth1Client extends OAuthBase {
  private readonly limits: Required<TokenEndpointLimits>;

  constructor(
    private readonly blueprint: Readonly<BlueprintOptions>,
    limits: TokenEndpointLimits = {},
  ) {
    super(
      blueprint.requestTokenUrl ?? '',
      blueprint.tokenUrl ?? '',
      blueprint.clientId,
      signingKey(blueprint),
      '1.0',
      null,
      blueprint.signatureMethod ?? 'HMAC-SHA1',
    );
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /**
   * The `Authorization: OAuth ...` value of a request: `params` are its query and form body
   * parameters (they enter the signature base string, RFC 5849 §3.4.1.3); `url` may keep its
   * query, which is left out here and must be in `params`.
   */
  authorization(
    method: string,
    url: string,
    params: OAuth1Params,
    token?: string,
    tokenSecret?: string,
  ): string {
    const extra: Record<string, string | string[]> = {};
    // Own properties even for odd names ('__proto__'), so every parameter is signed.
    for (const [name, value] of Object.entries(params)) {
      Object.defineProperty(extra, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const bare = new URL(url);
    bare.search = '';
    bare.hash = '';
    const ordered = this._prepareParameters(
      token ?? '',
      tokenSecret ?? '',
      method.toUpperCase(),
      bare.toString(),
      extra,
    );
    return this._buildAuthorizationHeaders(ordered);
  }

  /** passport-oauth1 asks for a request token (temporary credentials, RFC 5849 §2.1). */
  override getOAuthRequestToken(
    params: Record<string, string> | oauth1tokenCallback,
    callback?: oauth1tokenCallback,
  ): void {
    const extra = typeof params === 'function' ? {} : params;
    const done = (
      typeof params === 'function' ? params : callback
    ) as TokenCallback;
    this.tokenRequest(
      'request token',
      this.requireUrl('requestTokenUrl'),
      extra,
    )
      .then((answer) => done(null, answer.token, answer.secret, answer.extras))
      .catch((error: unknown) => done(error));
  }

  /** passport-oauth1 exchanges the authorized request token for an access token (§2.3). */
  override getOAuthAccessToken(
    requestToken: string,
    requestTokenSecret: string,
    verifier: string | oauth1tokenCallback,
    callback?: oauth1tokenCallback,
  ): void {
    const done = (
      typeof verifier === 'function' ? verifier : callback
    ) as TokenCallback;
    const extra: Record<string, string> =
      typeof verifier === 'string' ? { oauth_verifier: verifier } : {};
    this.tokenRequest(
      'access token',
      this.requireUrl('tokenUrl'),
      extra,
      requestToken,
      requestTokenSecret,
    )
      .then((answer) => done(null, answer.token, answer.secret, answer.extras))
      .catch((error: unknown) => done(error));
  }

  /**
   * The base string URI (RFC 5849 §3.4.1.2) of the URL as `fetch` sends it: scheme and host in
   * lower case, the port only when it is not the default, and the path as the WHATWG URL parser
   * serializes it. node-oauth's own uses Node's legacy `url.parse`, which escapes `'`, `|`, `^`
   * (and more) that fetch sends as they are, so it signed another URL than the one requested.
   */
  protected override _normalizeUrl(url: string): string {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  }

  /** Nonces from the system's CSPRNG (node-oauth's own use Math.random). */
  protected override _getNonce(nonceSize: number): string {
    return randomBytes(Math.ceil(nonceSize / 2))
      .toString('hex')
      .slice(0, nonceSize);
  }

  private async tokenRequest(
    what: string,
    url: string,
    params: Record<string, string>,
    token?: string,
    tokenSecret?: string,
  ): Promise<OAuth1Credentials> {
    // oauth_* parameters travel in the Authorization header, the others in the body.
    const bodyParams = Object.fromEntries(
      Object.entries(params).filter(([name]) => !name.startsWith('oauth_')),
    );
    const authorization = this.authorization(
      'POST',
      url,
      { ...queryParams(url), ...params },
      token,
      tokenSecret,
    );
    const secrets = [tokenSecret, this.blueprint.clientSecret, token];
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          accept: 'application/x-www-form-urlencoded, */*;q=0.5',
          'content-type': 'application/x-www-form-urlencoded',
          ...this.blueprint.tokenHeaders,
          authorization,
        },
        body: new URLSearchParams(bodyParams),
        redirect: 'error',
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw this.fail(
          'timeout',
          `the ${what} request got no answer within ${this.limits.timeoutMs} ms`,
        );
      }
      throw this.fail(
        'network',
        `the ${what} endpoint could not be reached (or redirected)`,
      );
    }
    let text: string | null;
    try {
      text = await readLimitedBody(response, this.limits.maxResponseBytes);
    } catch {
      throw this.fail(
        'timeout',
        `the ${what} answer did not complete within ${this.limits.timeoutMs} ms`,
      );
    }
    if (text === null) {
      throw this.fail(
        'invalid-response',
        `the ${what} answer is larger than ${this.limits.maxResponseBytes} bytes`,
        undefined,
        response.status,
      );
    }
    const fields = parseForm(text);
    // The OAuth Problem Reporting extension's code, when the provider uses it.
    const problem =
      typeof fields.oauth_problem === 'string'
        ? redactText(fields.oauth_problem, secrets).slice(0, 64)
        : undefined;
    if (!response.ok) {
      const failure =
        response.status >= 500 || response.status === 429
          ? 'unavailable'
          : 'rejected';
      throw this.fail(
        failure,
        `the ${what} request answered HTTP ${response.status}${problem ? ` ${problem}` : ''}`,
        problem,
        response.status,
      );
    }
    const { oauth_token: newToken, oauth_token_secret: newSecret } = fields;
    if (!newToken || newSecret === undefined) {
      throw this.fail(
        'invalid-response',
        `the ${what} answer has no oauth_token and oauth_token_secret${problem ? ` (${problem})` : ''}`,
        problem,
        response.status,
      );
    }
    const extras = withoutReservedTokenFields({ ...fields });
    delete extras.oauth_token;
    delete extras.oauth_token_secret;
    return { token: newToken, secret: newSecret, extras };
  }

  private requireUrl(key: 'requestTokenUrl' | 'tokenUrl'): string {
    const url = this.blueprint[key];
    if (!url) {
      throw new InvalidOptionsError(
        `Blueprint '${this.blueprint.name}' has no ${key}: make it with oauth1({ requestTokenUrl, accessTokenUrl, ... }).`,
      );
    }
    return url;
  }

  private fail(
    failure: TokenEndpointError['failure'],
    message: string,
    code?: string,
    status?: number,
  ): TokenEndpointError {
    return new TokenEndpointError(
      this.blueprint.name,
      failure,
      message,
      code,
      status,
    );
  }
}

/**
 * The query parameters of `url`, repeated names as arrays (what RFC 5849 §3.4.1.3.1 signs).
 */
export function queryParams(url: string): OAuth1Params {
  const params: OAuth1Params = {};
  for (const [name, value] of new URL(url).searchParams) {
    const current = Object.prototype.hasOwnProperty.call(params, name)
      ? params[name]
      : undefined;
    // An own property even for odd names ('__proto__'), so every parameter is signed.
    Object.defineProperty(params, name, {
      value:
        current === undefined
          ? value
          : Array.isArray(current)
            ? [...current, value]
            : [current, value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return params;
}

/** A form-encoded answer as a record (the last value of a repeated name wins). */
function parseForm(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (!/^[\w.%~+-]+=/.test(trimmed)) return {};
  return Object.fromEntries(new URLSearchParams(trimmed));
}

/** The key node-oauth signs with: the consumer secret (HMAC-SHA1) or the RSA private key. */
function signingKey(blueprint: Readonly<BlueprintOptions>): string {
  const method = blueprint.signatureMethod ?? 'HMAC-SHA1';
  if (method === 'RSA-SHA1') {
    const pem = blueprint.rsaPrivateKey ?? '';
    let type: string | undefined;
    try {
      type = createPrivateKey(pem).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'rsa') {
      throw new InvalidOptionsError(
        `Blueprint '${blueprint.name}' signs with RSA-SHA1 but its rsaPrivateKey is not an RSA private key ` +
          'in PEM: give the PKCS#8 or PKCS#1 PEM text whose public key is registered at the provider ' +
          "(e.g. readFileSync('jira_privatekey.pem', 'utf8')).",
      );
    }
    return pem;
  }
  if (method !== 'HMAC-SHA1') {
    throw new InvalidOptionsError(
      `Blueprint '${blueprint.name}' has signatureMethod ${JSON.stringify(method)}: use 'HMAC-SHA1' or 'RSA-SHA1'.`,
    );
  }
  if (typeof blueprint.clientSecret !== 'string' || !blueprint.clientSecret) {
    throw new InvalidOptionsError(
      `Blueprint '${blueprint.name}' signs with HMAC-SHA1 and needs its consumerSecret: copy it from the provider's console.`,
    );
  }
  return blueprint.clientSecret;
}

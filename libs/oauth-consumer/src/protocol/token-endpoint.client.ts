import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import { withoutReservedTokenFields } from '../storage/reserved-token-fields.util';
import { redactText } from '../redaction/redact.util';
import { readLimitedBody } from './limited-body.util';

/**
 * Limits on token endpoint requests: a provider that is slow or answers huge or deeply
 * nested bodies gets a clear error instead of a stuck or bloated process.
 * @publicApi
 */
export interface TokenEndpointLimits {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Refuse bodies larger than this (default 64 KiB). */
  maxResponseBytes?: number;
  /** Refuse JSON nested deeper than this (default 20). */
  maxJsonDepth?: number;
}

const DEFAULT_LIMITS: Required<TokenEndpointLimits> = {
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  maxJsonDepth: 20,
};

/** The longest provider error description we repeat in a message. */
const MAX_DESCRIPTION = 200;

/**
 * Talks to one provider's token endpoint: exchanges authorization codes and refresh tokens
 * (RFC 6749 §4.1.3, §6), with the provider's client authentication method, headers and
 * response quirks, under time and size limits. The one place that parses token responses.
 * @publicApi
 */
export class TokenEndpointClient {
  private readonly limits: Required<TokenEndpointLimits>;

  constructor(
    private readonly blueprint: Readonly<BlueprintOptions>,
    limits: TokenEndpointLimits = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Exchanges an authorization code for a token. */
  exchangeCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<OAuthToken> {
    const params: Record<string, string> = {
      ...this.blueprint.tokenParams,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    };
    if (codeVerifier) params.code_verifier = codeVerifier;
    return this.request(
      this.requireUrl(this.blueprint.tokenUrl, 'tokenUrl'),
      params,
    );
  }

  /** Trades a refresh token for a fresh token (the response may or may not rotate the refresh token). */
  refresh(refreshToken: string, scope?: string): Promise<OAuthToken> {
    const url =
      this.blueprint.refreshUrl === undefined
        ? this.blueprint.tokenUrl
        : this.blueprint.refreshUrl;
    if (url === false) {
      throw new InvalidOptionsError(
        `Blueprint '${this.blueprint.name}' cannot refresh tokens (refreshUrl: false): ask the user to connect again.`,
      );
    }
    const params: Record<string, string> = {
      ...this.blueprint.refreshParams,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    };
    if (scope) params.scope = scope;
    return this.request(this.requireUrl(url, 'tokenUrl'), params);
  }

  /**
   * Revokes `token` at the provider's RFC 7009 endpoint: the refresh token when there is one
   * (which ends the grant), else the access token. Resolves to whether the provider said yes.
   */
  async revoke(token: OAuthToken): Promise<boolean> {
    const url = this.requireUrl(this.blueprint.revocationUrl, 'revocationUrl');
    const refreshToken =
      typeof token.refresh_token === 'string' ? token.refresh_token : undefined;
    const { body, headers } = this.withClientAuthentication({
      token: refreshToken ?? token.access_token,
      token_type_hint: refreshToken ? 'refresh_token' : 'access_token',
    });
    const response = await this.post(
      url,
      body,
      headers,
      'the revocation endpoint',
    );
    await response.body?.cancel();
    if (response.ok) return true;
    throw this.fail(
      response.status >= 500 ? 'unavailable' : 'rejected',
      `revocation answered HTTP ${response.status}`,
      undefined,
      response.status,
    );
  }

  /** POSTs a form under the time limit, turning transport failures into typed errors. */
  private async post(
    url: string,
    body: Record<string, string>,
    headers: Record<string, string>,
    endpoint: string,
  ): Promise<Response> {
    try {
      return await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw this.fail(
          'timeout',
          `no answer within ${this.limits.timeoutMs} ms from ${endpoint}`,
        );
      }
      throw this.fail('network', `${endpoint} could not be reached`);
    }
  }

  private async request(
    url: string,
    params: Record<string, string>,
  ): Promise<OAuthToken> {
    const { body, headers } = this.withClientAuthentication(params);
    const response = await this.post(url, body, headers, 'the token endpoint');
    let text: string | null;
    try {
      text = await readLimitedBody(response, this.limits.maxResponseBytes);
    } catch {
      throw this.fail(
        'timeout',
        `the answer did not complete within ${this.limits.timeoutMs} ms`,
      );
    }
    if (text === null) {
      throw this.fail(
        'invalid-response',
        `the answer is larger than ${this.limits.maxResponseBytes} bytes`,
        undefined,
        response.status,
      );
    }
    const parsed = this.parse(text, response.headers.get('content-type'));
    if (!response.ok || (parsed && typeof parsed.error === 'string')) {
      // The provider's text may echo what we sent (code, verifier, secret): never repeat it.
      const secrets = [
        params.code,
        params.code_verifier,
        params.refresh_token,
        this.blueprint.clientSecret,
      ];
      throw this.rejection(response.status, parsed, secrets);
    }
    if (!parsed) {
      throw this.fail(
        'invalid-response',
        'the answer is neither JSON nor form-encoded',
        undefined,
        response.status,
      );
    }
    return this.toToken(parsed, response.status);
  }

  private withClientAuthentication(params: Record<string, string>): {
    body: Record<string, string>;
    headers: Record<string, string>;
  } {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      ...this.blueprint.tokenHeaders,
    };
    const body = { ...params };
    const method = this.blueprint.tokenAuthMethod ?? 'client_secret_post';
    const { clientId, clientSecret } = this.blueprint;
    if (method === 'client_secret_basic' && clientSecret !== undefined) {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
      const credentials = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    } else {
      body.client_id = clientId;
      if (method === 'client_secret_post' && clientSecret !== undefined) {
        body.client_secret = clientSecret;
      }
    }
    return { body, headers };
  }

  private parse(
    text: string,
    contentType: string | null,
  ): Record<string, unknown> | null {
    const trimmed = text.trim();
    if (!trimmed) return null;
    const looksJson =
      (contentType ?? '').includes('json') || trimmed.startsWith('{');
    if (looksJson) {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        return null;
      }
      if (!isPlainObject(value)) return null;
      if (nestsDeeperThan(value, this.limits.maxJsonDepth)) {
        throw this.fail(
          'invalid-response',
          `the JSON answer is nested deeper than ${this.limits.maxJsonDepth} levels`,
        );
      }
      return value;
    }
    if (
      (contentType ?? '').includes('x-www-form-urlencoded') ||
      /^[\w.%-]+=/.test(trimmed)
    ) {
      return Object.fromEntries(new URLSearchParams(trimmed));
    }
    return null;
  }

  private toToken(body: Record<string, unknown>, status: number): OAuthToken {
    const normalized = this.blueprint.tokenResponse
      ? this.blueprint.tokenResponse(body)
      : body;
    // After the normalizer, which may lift fields out of a wrapper.
    const token = { ...withoutReservedTokenFields(normalized) } as OAuthToken;
    if (
      typeof token.access_token !== 'string' ||
      token.access_token.length === 0
    ) {
      throw this.fail(
        'invalid-response',
        'the answer has no access_token',
        undefined,
        status,
      );
    }
    if (
      typeof token.expires_in === 'string' &&
      /^\d+$/.test(token.expires_in)
    ) {
      token.expires_in = Number(token.expires_in);
    }
    if (
      token.expires_in !== undefined &&
      typeof token.expires_in !== 'number'
    ) {
      delete token.expires_in;
    }
    return token;
  }

  private rejection(
    status: number,
    body: Record<string, unknown> | null,
    secrets: Array<string | undefined>,
  ): TokenEndpointError {
    const code =
      typeof body?.error === 'string'
        ? redactText(body.error, secrets).slice(0, 64)
        : undefined;
    const description =
      typeof body?.error_description === 'string'
        ? ` (${redactText(body.error_description, secrets).slice(0, MAX_DESCRIPTION)})`
        : '';
    if (status >= 500 || status === 429) {
      return this.fail(
        'unavailable',
        `HTTP ${status}${code ? ` ${code}` : ''}${description}`,
        code,
        status,
      );
    }
    return this.fail(
      'rejected',
      `${code ?? `HTTP ${status}`}${description}`,
      code,
      status,
    );
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

  private requireUrl(url: string | undefined, option: string): string {
    if (!url) {
      throw new InvalidOptionsError(
        `Blueprint '${this.blueprint.name}' has no ${option}: give it, or use oidc({ issuer }) to discover it.`,
      );
    }
    return url;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` nests deeper than `limit`; stops descending as soon as it does. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  return Object.values(value).some((child) =>
    nestsDeeperThan(child, limit - 1),
  );
}

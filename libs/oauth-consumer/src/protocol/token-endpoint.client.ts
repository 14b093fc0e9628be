import type { JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import {
  TokenEndpointError,
  TokenRequestKind,
} from '../errors/token-endpoint.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import {
  authorizationServerOf,
  clientOf,
  isInsecure,
  usesPushedAuthorization,
} from './authorization-server.util';
import {
  chooseTokenAuthMethod,
  ClientAuthentication,
  clientAuthenticationOf,
} from './client-authentication.util';
import {
  DEFAULT_LIMITS,
  Exchange,
  limitedFetch,
  TokenEndpointLimits,
  TransportFailure,
} from './http-transport.util';
import {
  OAuth2ClientOptions,
  TokenAuthMethod,
} from './oauth2-client-options.interface';
import { discoverJwksUrl } from './oidc-discovery.util';
import {
  DPOP_KEY_FIELD,
  dpopHandleFor,
  dpopKeyOf,
  dpopResourceRequest,
  isDpopToken,
  newDpopKey,
} from './dpop.util';
import { toTokenEndpointError } from './protocol-error.util';
import {
  conformTokenResponse,
  TokenResponseNotes,
} from './token-response.util';

export type { TokenEndpointLimits } from './http-transport.util';

/**
 * Options of `exchangeCode`: the `nonce` sent in this dance's authorization request, which the
 * ID token must carry (OIDC Core §3.1.3.7).
 * @publicApi
 */
export interface ExchangeCodeOptions {
  nonce?: string;
}

/** Accepts every `token_type`: non-Bearer types (Slack's, Shopify's) are sent as `apiAuthorization` says. */
const ANY_TOKEN_TYPE = new Proxy(
  {},
  { get: () => () => undefined },
) as oauth.RecognizedTokenTypes;

/** ID token claims validated by a `TokenEndpointClient`, per token object it returned. */
const validatedClaims = new WeakMap<object, Readonly<oauth.IDToken>>();

/**
 * The claims of the ID token that came with `token`, when a `TokenEndpointClient` validated it
 * (signature, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`); undefined otherwise. Claims of an
 * ID token read from storage are not validated again: use them from the token it returned.
 * @publicApi
 */
export function validatedIdTokenClaims(
  token: OAuthToken,
): Readonly<Record<string, unknown>> | undefined {
  return validatedClaims.get(token);
}

/**
 * Talks to one provider's token endpoint through the protocol engine (oauth4webapi):
 * exchanges authorization codes and refresh tokens (RFC 6749 §4.1.3, §6), validates ID tokens
 * (OIDC Core §3.1.3.7), revokes (RFC 7009), with the blueprint's client authentication, headers
 * and response quirks, under time and size limits. The one place that parses token responses.
 * @publicApi
 */
export class TokenEndpointClient {
  /** The client authentication method this client uses. */
  readonly authMethod: TokenAuthMethod;
  /** Whether authorization requests are pushed first (RFC 9126). */
  readonly pushedAuthorization: boolean;
  /** Whether tokens are DPoP-bound (RFC 9449). */
  readonly dpop: boolean;
  private readonly limits: Required<TokenEndpointLimits>;
  private readonly server: oauth.AuthorizationServer;
  private readonly refreshServer: oauth.AuthorizationServer;
  private readonly client: oauth.Client;
  private authentication?: Promise<ClientAuthentication>;
  private keys?: Promise<void>;

  constructor(
    private readonly blueprint: Readonly<OAuth2ClientOptions>,
    limits: TokenEndpointLimits = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.authMethod = chooseTokenAuthMethod(blueprint);
    this.pushedAuthorization = usesPushedAuthorization(blueprint);
    this.dpop = blueprint.dpop === true;
    this.server = authorizationServerOf(blueprint);
    const refreshUrl =
      blueprint.refreshUrl === undefined || blueprint.refreshUrl === false
        ? blueprint.tokenUrl
        : blueprint.refreshUrl;
    this.refreshServer =
      refreshUrl === blueprint.tokenUrl
        ? this.server
        : authorizationServerOf(blueprint, refreshUrl);
    this.client = clientOf(blueprint);
  }

  /**
   * Exchanges an authorization code for a token. An ID token in the answer is validated
   * (signature, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`) before the token is returned; a
   * blueprint without an issuer cannot validate one, and leaves it out.
   */
  exchangeCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
    options: ExchangeCodeOptions = {},
  ): Promise<OAuthToken> {
    const params: Record<string, string> = {
      ...this.blueprint.tokenParams,
      code,
      redirect_uri: redirectUri,
    };
    if (codeVerifier) params.code_verifier = codeVerifier;
    return this.tokenRequest(
      'code exchange',
      this.server,
      'authorization_code',
      params,
      (response, notes) =>
        oauth.processAuthorizationCodeResponse(
          this.server,
          this.client,
          response,
          {
            // An ID token must carry the nonce sent with this dance's authorization request
            // (a replayed one carries another); without a nonce, it must carry none.
            expectedNonce: notes.hasIdToken ? options.nonce : undefined,
            recognizedTokenTypes: ANY_TOKEN_TYPE,
          },
        ),
      [code, codeVerifier],
    );
  }

  /**
   * Trades a refresh token for a fresh token (the response may or may not rotate the refresh
   * token). With DPoP, `current` (the token being refreshed) gives the key to prove.
   */
  refresh(
    refreshToken: string,
    scope?: string,
    current?: OAuthToken,
  ): Promise<OAuthToken> {
    if (this.blueprint.refreshUrl === false) {
      throw new InvalidOptionsError(
        `Blueprint '${this.blueprint.name}' cannot refresh tokens (refreshUrl: false): ask the user to connect again.`,
      );
    }
    const params: Record<string, string> = {
      ...this.blueprint.refreshParams,
      refresh_token: refreshToken,
    };
    if (scope) params.scope = scope;
    return this.tokenRequest(
      'refresh',
      this.refreshServer,
      'refresh_token',
      params,
      (response) =>
        oauth.processRefreshTokenResponse(
          this.refreshServer,
          this.client,
          response,
          { recognizedTokenTypes: ANY_TOKEN_TYPE },
        ),
      [refreshToken],
      current ? dpopKeyOf(current) : undefined,
    );
  }

  /**
   * Asks for an app token with the client credentials grant (RFC 6749 §4.4): a token for the
   * app itself, not a user, with the blueprint's `appScope`.
   */
  clientCredentials(): Promise<OAuthToken> {
    const params: Record<string, string> = {};
    const scope = this.blueprint.appScope;
    if (scope !== undefined && scope.length > 0) {
      params.scope = typeof scope === 'string' ? scope : scope.join(' ');
    }
    return this.tokenRequest(
      'client credentials',
      this.server,
      'client_credentials',
      params,
      (response) =>
        oauth.processClientCredentialsResponse(
          this.server,
          this.client,
          response,
          { recognizedTokenTypes: ANY_TOKEN_TYPE },
        ),
      [],
    );
  }

  /**
   * Starts a device authorization (RFC 8628 §3.1): the device code (a secret: never show it),
   * the user code and where the user enters it, their lifetime and the polling interval.
   */
  async deviceAuthorization(
    scope?: string,
  ): Promise<oauth.DeviceAuthorizationResponse> {
    const url = this.requireUrl(
      this.server.device_authorization_endpoint,
      'deviceAuthorizationUrl',
    );
    const exchange: Exchange = {};
    try {
      const auth = await this.auth();
      const response = await oauth.deviceAuthorizationRequest(
        this.server,
        this.client,
        auth.apply,
        scope ? { scope } : {},
        this.engineOptions(url, exchange),
      );
      return await oauth.processDeviceAuthorizationResponse(
        this.server,
        this.client,
        response,
      );
    } catch (error) {
      throw this.failure(error, 'device authorization', exchange, []);
    }
  }

  /**
   * Polls once with a device code (RFC 8628 §3.4): the token once the user approved; until
   * then a `TokenEndpointError` whose `code` is `authorization_pending` or `slow_down`.
   */
  deviceCode(deviceCode: string): Promise<OAuthToken> {
    return this.tokenRequest(
      'device code',
      this.server,
      'urn:ietf:params:oauth:grant-type:device_code',
      { device_code: deviceCode },
      (response) =>
        oauth.processDeviceCodeResponse(this.server, this.client, response, {
          recognizedTokenTypes: ANY_TOKEN_TYPE,
        }),
      [deviceCode],
    );
  }

  /**
   * Revokes a grant at the provider's RFC 7009 endpoint: the refresh token, then the access
   * token, since servers may keep the access token alive when the refresh token is revoked
   * (RFC 7009 §2.1 allows it). Resolves to whether the provider confirmed every revocation.
   */
  async revoke(token: OAuthToken): Promise<boolean> {
    const url = this.requireUrl(this.blueprint.revocationUrl, 'revocationUrl');
    const hints: Array<['refresh_token' | 'access_token', string]> = [];
    if (typeof token.refresh_token === 'string' && token.refresh_token) {
      hints.push(['refresh_token', token.refresh_token]);
    }
    if (typeof token.access_token === 'string' && token.access_token) {
      hints.push(['access_token', token.access_token]);
    }
    for (const [hint, value] of hints) {
      const exchange: Exchange = {};
      try {
        const auth = await this.auth();
        const response = await oauth.revocationRequest(
          { ...this.server, revocation_endpoint: url },
          this.client,
          auth.apply,
          value,
          {
            ...this.engineOptions(url, exchange),
            additionalParameters: { token_type_hint: hint },
          },
        );
        await oauth.processRevocationResponse(response);
      } catch (error) {
        throw this.failure(error, 'revocation', exchange, [value]);
      }
    }
    return true;
  }

  /**
   * Pushes the parameters of an authorization request URL to the provider (RFC 9126) and
   * returns the URL the browser goes to instead: the authorization endpoint with `client_id`
   * and `request_uri` only.
   */
  async pushAuthorizationRequest(authorizationUrl: string): Promise<string> {
    const url = new URL(authorizationUrl);
    const parameters = new URLSearchParams(url.search);
    parameters.delete('client_id');
    const endpoint = this.server.pushed_authorization_request_endpoint;
    const exchange: Exchange = {};
    let pushed: oauth.PushedAuthorizationResponse;
    try {
      const auth = await this.auth();
      const response = await oauth.pushedAuthorizationRequest(
        this.server,
        this.client,
        auth.apply,
        parameters,
        this.engineOptions(endpoint!, exchange),
      );
      pushed = await oauth.processPushedAuthorizationResponse(
        this.server,
        this.client,
        response,
      );
    } catch (error) {
      throw this.failure(error, 'pushed authorization', exchange, [
        parameters.get('code_challenge') ?? undefined,
      ]);
    }
    const redirect = new URL(`${url.origin}${url.pathname}`);
    redirect.search = new URLSearchParams({
      client_id: this.blueprint.clientId,
      request_uri: pushed.request_uri,
    }).toString();
    return redirect.href;
  }

  /**
   * Calls the provider's API with a DPoP-bound token (RFC 9449 §7): a proof made with the key
   * stored with the token, one retry for a server nonce. Undefined for other tokens, which the
   * blueprint sends itself.
   */
  sendWithProof(
    url: string,
    init: RequestInit & { headers: Headers },
    token: OAuthToken,
  ): Promise<Response> | undefined {
    if (!isDpopToken(token)) return undefined;
    if (!dpopKeyOf(token)) {
      throw new InvalidOptionsError(
        `The '${this.blueprint.name}' token is DPoP-bound but its key is not stored with it ` +
          '(it was stored by hand, or without dpop: true): connect again.',
      );
    }
    return dpopResourceRequest(token, url, init, this.client, isInsecure(url));
  }

  /** Sends one token endpoint request and processes the answer with the engine. */
  private async tokenRequest(
    kind: TokenRequestKind,
    server: oauth.AuthorizationServer,
    grantType: string,
    params: Record<string, string>,
    process: (
      response: Response,
      notes: TokenResponseNotes,
    ) => Promise<oauth.TokenEndpointResponse>,
    secrets: Array<string | undefined>,
    dpopKey?: JWK,
  ): Promise<OAuthToken> {
    const url = this.requireUrl(server.token_endpoint, 'tokenUrl');
    // DPoP (RFC 9449): the token is bound to a key kept with it; a refresh proves the same key.
    const key = this.dpop ? (dpopKey ?? (await newDpopKey())) : undefined;
    const DPoP = key ? await dpopHandleFor(key, this.client) : undefined;
    let exchange: Exchange = {};
    let notes: TokenResponseNotes = {};
    let result: oauth.TokenEndpointResponse;
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      exchange = {};
      notes = {};
      try {
        const auth = await this.auth();
        response = await oauth.genericTokenEndpointRequest(
          server,
          this.client,
          auth.apply,
          grantType,
          params,
          {
            ...this.engineOptions(url, exchange, notes),
            headers: this.blueprint.tokenHeaders
              ? { ...this.blueprint.tokenHeaders }
              : undefined,
            DPoP,
          },
        );
        result = await process(response, notes);
        break;
      } catch (error) {
        // A server nonce (use_dpop_nonce, RFC 9449 §8): the handle kept it; one retry.
        if (DPoP && attempt === 0 && oauth.isDPoPNonceError(error)) continue;
        throw this.failure(error, kind, exchange, secrets, true);
      }
    }
    if (result.id_token !== undefined) {
      await this.checkSignature(server, response, kind);
    }
    const token = this.toToken(result, notes);
    if (key) token[DPOP_KEY_FIELD] = key;
    return token;
  }

  /** Checks the ID token's signature against the issuer's JWKS (alg `none` and `HS*` refused). */
  private async checkSignature(
    server: oauth.AuthorizationServer,
    response: Response,
    kind: TokenRequestKind,
  ): Promise<void> {
    const exchange: Exchange = {};
    try {
      await this.withKeys(server);
      await oauth.validateApplicationLevelSignature(server, response, {
        ...this.engineOptions(server.jwks_uri!, exchange),
      });
    } catch (error) {
      if (error instanceof InvalidOptionsError) throw error;
      const why =
        error instanceof TransportFailure
          ? `the issuer's keys (${server.jwks_uri}) could not be read: ${error.message}`
          : (error as Error).message;
      throw new TokenEndpointError(
        this.blueprint.name,
        'invalid-response',
        `the ID token was refused: ${why}`,
        undefined,
        200,
        kind,
      );
    }
  }

  /** Learns the issuer's `jwks_uri` from its discovery document when the blueprint did not say. */
  private withKeys(server: oauth.AuthorizationServer): Promise<void> {
    if (server.jwks_uri) return Promise.resolve();
    this.keys ??= discoverJwksUrl(
      this.blueprint.name,
      this.blueprint.issuer!,
    ).then(
      (url) => {
        (this.server as { jwks_uri?: string }).jwks_uri = url;
        (this.refreshServer as { jwks_uri?: string }).jwks_uri = url;
      },
      (error: unknown) => {
        this.keys = undefined;
        throw error;
      },
    );
    return this.keys;
  }

  /** The engine's answer as the token to store: the provider's `token_type` spelling kept. */
  private toToken(
    result: oauth.TokenEndpointResponse,
    notes: TokenResponseNotes,
  ): OAuthToken {
    const token = { ...result } as OAuthToken;
    if (typeof notes.tokenType === 'string') token.token_type = notes.tokenType;
    else delete token.token_type;
    if (result.id_token !== undefined) {
      const claims = oauth.getValidatedIdTokenClaims(result);
      if (claims) validatedClaims.set(token, claims);
    }
    return token;
  }

  /** The engine options every request shares: our transport, and http allowed where configured. */
  private engineOptions(
    url: string,
    exchange: Exchange,
    notes?: TokenResponseNotes,
  ): {
    [oauth.customFetch]: typeof fetch;
    [oauth.allowInsecureRequests]: boolean;
  } {
    const conform = notes
      ? (read: Parameters<typeof conformTokenResponse>[1]) =>
          conformTokenResponse(this.blueprint, read, notes)
      : undefined;
    return {
      [oauth.customFetch]: limitedFetch(
        this.limits,
        exchange,
        conform,
      ) as unknown as typeof fetch,
      [oauth.allowInsecureRequests]: isInsecure(url),
    };
  }

  private auth(): Promise<ClientAuthentication> {
    this.authentication ??= clientAuthenticationOf(
      this.blueprint,
      this.authMethod,
    ).catch((error: unknown) => {
      this.authentication = undefined;
      throw error;
    });
    return this.authentication;
  }

  private failure(
    error: unknown,
    request: TokenRequestKind,
    exchange: Exchange,
    secrets: Array<string | undefined>,
    expectsToken = false,
  ): Error {
    return toTokenEndpointError(error, {
      provider: this.blueprint.name,
      request,
      exchange,
      secrets: [...secrets, this.blueprint.clientSecret],
      authMethod: this.authMethod,
      supportedAuthMethods:
        this.blueprint.serverMetadata?.token_endpoint_auth_methods_supported,
      expectsToken,
    });
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

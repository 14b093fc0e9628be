import type { DanceRequest } from './dance-state.store';
import { generateRandomNonce } from 'oauth4webapi';
import { Strategy as OAuth2Strategy, VerifyCallback } from 'passport-oauth2';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { OAuthToken } from '../storage/oauth-token.interface';
import { DanceStateStore } from './dance-state.store';
import { TokenEndpointClient } from '../protocol/token-endpoint.client';

/** Carries the callback's request through passport-oauth2 to the code exchange. */
const DANCE_REQUEST = Symbol('nest-dance.request');

type TokenCallback = (
  error: unknown,
  accessToken?: string,
  refreshToken?: string,
  token?: OAuthToken,
) => void;

/**
 * The passport-oauth2 strategy of one blueprint, named after it. State and PKCE go through
 * `DanceStateStore`; the token request goes through `TokenEndpointClient` (limits, client
 * authentication methods, quirks) instead of node-oauth's.
 * @publicApi
 */
export class BlueprintStrategy extends OAuth2Strategy {
  constructor(
    private readonly blueprint: Readonly<BlueprintOptions>,
    redirectUri: string,
    store: DanceStateStore,
    private readonly tokenEndpoint: TokenEndpointClient,
  ) {
    super(
      {
        authorizationURL: blueprint.authorizationUrl!,
        tokenURL: blueprint.tokenUrl!,
        clientID: blueprint.clientId,
        clientSecret: blueprint.clientSecret ?? '',
        callbackURL: redirectUri,
        scope: blueprint.scope as string | string[] | undefined,
        scopeSeparator: blueprint.scopeSeparator ?? ' ',
        pkce: blueprint.pkce !== false, // true means S256 in passport-oauth2; never 'plain'
        state: true,
        store: store as never,
        passReqToCallback: true,
        skipUserProfile: true,
      },
      (
        _request: DanceRequest,
        _accessToken: string,
        _refreshToken: string,
        token: OAuthToken,
        _profile: unknown,
        done: VerifyCallback,
      ) => done(null, token),
    );
    this.name = blueprint.name;
    const oauth2 = (this as unknown as { _oauth2: Record<string, unknown> })
      ._oauth2;
    oauth2.getOAuthAccessToken = (
      code: string,
      params: {
        redirect_uri?: string;
        code_verifier?: string;
        [DANCE_REQUEST]?: DanceRequest;
      },
      callback: TokenCallback,
    ) => {
      const request = params[DANCE_REQUEST];
      // The nonce of the dance whose state was just verified: the ID token must carry it.
      const nonce = request
        ? store.verifiedRecordOf(request)?.nonce
        : undefined;
      tokenEndpoint
        .exchangeCode(
          code,
          params.redirect_uri ?? redirectUri,
          params.code_verifier,
          { nonce },
        )
        .then((token) =>
          callback(null, token.access_token, token.refresh_token, token),
        )
        .catch((error: unknown) => callback(error));
    };
  }

  /**
   * Hands the request to `tokenParams`, which hands it to the code exchange; with pushed
   * authorization requests (RFC 9126), the redirect to the provider is pushed first. `this` is
   * the per-request copy passport (and the dance) make of the strategy.
   */
  override authenticate(request: DanceRequest, options: object = {}): void {
    if (this.tokenEndpoint.pushedAuthorization) {
      const redirect = this.redirect.bind(this);
      this.redirect = (url: string) => {
        this.tokenEndpoint
          .pushAuthorizationRequest(url)
          .then(redirect, (error) => this.error(error as Error));
      };
    }
    // passport-oauth2's types say Express; on Fastify it gets `passportRequestOf`'s request.
    super.authenticate(request as never, {
      ...options,
      [DANCE_REQUEST]: request,
    });
  }

  /** The callback's request, for the code exchange (never sent: a symbol key). */
  override tokenParams(options: Record<symbol, unknown>): object {
    return { [DANCE_REQUEST]: options[DANCE_REQUEST] };
  }

  /**
   * The preset's extra authorization parameters (e.g. `access_type=offline`), and a fresh
   * `nonce` whenever `openid` is asked for (OIDC Core §3.1.2.1; some servers require it), kept
   * with the dance state for the ID token check.
   */
  override authorizationParams(options: {
    scope?: string | readonly string[];
    state?: Record<string, unknown>;
    /** This login's own parameters (e.g. asking for another account). */
    extraParams?: Readonly<Record<string, string>>;
  }): object {
    const params: Record<string, string> = {
      ...this.blueprint.authorizationParams,
      ...options.extraParams,
    };
    if (asksForOpenId(options.scope ?? this.blueprint.scope)) {
      const nonce = generateRandomNonce();
      options.state = { ...options.state, nonce };
      params.nonce = nonce;
    }
    return params;
  }
}

function asksForOpenId(scope: string | readonly string[] | undefined): boolean {
  const scopes = typeof scope === 'string' ? scope.split(/[\s,]+/) : scope;
  return !!scopes?.includes('openid');
}

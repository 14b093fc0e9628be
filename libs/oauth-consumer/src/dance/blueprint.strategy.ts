import type { Request } from 'express';
import { Strategy as OAuth2Strategy, VerifyCallback } from 'passport-oauth2';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { OAuthToken } from '../storage/oauth-token.interface';
import { DanceStateStore } from './dance-state.store';
import { TokenEndpointClient } from '../protocol/token-endpoint.client';

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
    tokenEndpoint: TokenEndpointClient,
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
        _request: Request,
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
      params: { redirect_uri?: string; code_verifier?: string },
      callback: TokenCallback,
    ) => {
      tokenEndpoint
        .exchangeCode(
          code,
          params.redirect_uri ?? redirectUri,
          params.code_verifier,
        )
        .then((token) =>
          callback(null, token.access_token, token.refresh_token, token),
        )
        .catch((error: unknown) => callback(error));
    };
  }

  /** The preset's extra authorization parameters (e.g. `access_type=offline`). */
  override authorizationParams(): object {
    return { ...this.blueprint.authorizationParams };
  }
}

import type { DanceRequest } from '../dance/dance-state.store';
import type { Strategy as PassportStrategy } from 'passport';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { OAuthToken } from '../storage/oauth-token.interface';
import { OAuth1Client } from './oauth1.client';
import { OAuth1RequestTokenStore } from './oauth1-request-token.store';
import { optionalPeerClass } from '../optional-peer.util';

/**
 * The part of passport-oauth1's `OAuthStrategy` nest-dance relies on (the package ships no
 * types).
 * @publicApi
 */
export interface PassportOAuth1Strategy extends PassportStrategy {
  name: string;
  /** Extra query parameters of the redirect to the authorization URL. */
  userAuthorizationParams(options: object): object;
}

type PassportOAuth1StrategyClass = new (
  options: Record<string, unknown>,
  verify: (...args: never[]) => void,
) => PassportOAuth1Strategy;

// passport-oauth1 is CommonJS without type declarations, and an optional peer.
const OAuthStrategy = optionalPeerClass(
  {
    packageName: 'passport-oauth1',
    feature: 'OAuth 1.0a blueprints (oauth1)',
    install: 'oauth passport-oauth1',
  },
  (module: { Strategy: PassportOAuth1StrategyClass }) => module.Strategy,
);

type Verified = (error: Error | null, token?: OAuthToken) => void;

/**
 * The passport-oauth1 strategy of one OAuth 1.0a blueprint, named after it: request token,
 * redirect, request token check and access token request. The request token secret goes
 * through `OAuth1RequestTokenStore`; signing and token requests through `OAuth1Client`.
 * The verified "user" is the token to store: `{ access_token, oauth_token_secret, ...extras }`.
 * @publicApi
 */
export class OAuth1BlueprintStrategy extends OAuthStrategy {
  constructor(
    private readonly blueprint: Readonly<BlueprintOptions>,
    callbackUrl: string,
    store: OAuth1RequestTokenStore,
    client: OAuth1Client,
  ) {
    super(
      {
        requestTokenURL: blueprint.requestTokenUrl,
        accessTokenURL: blueprint.tokenUrl,
        userAuthorizationURL: blueprint.authorizationUrl,
        consumerKey: blueprint.clientId,
        // passport-oauth1 builds a node-oauth client of its own, replaced below: keep
        // the real secret and key out of it.
        consumerSecret: '',
        callbackURL: callbackUrl,
        requestTokenStore: store,
        passReqToCallback: true,
        skipUserProfile: true,
      },
      (
        _request: DanceRequest,
        accessToken: string,
        tokenSecret: string,
        extras: Record<string, string>,
        _profile: unknown,
        verified: Verified,
      ) =>
        verified(null, {
          ...extras,
          access_token: accessToken,
          oauth_token_secret: tokenSecret,
        }),
    );
    this.name = blueprint.name;
    // "_oauth is considered protected: subclasses are allowed to use it" (passport-oauth1).
    (this as unknown as { _oauth: OAuth1Client })._oauth = client;
  }

  /** The blueprint's extra authorization parameters. */
  override userAuthorizationParams(): object {
    return { ...this.blueprint.authorizationParams };
  }
}

import { Logger } from '@nestjs/common';
import { HttpExchange } from '../platform/http-edge.interface';
import { passportLoginRequestOf } from '../platform/passport-request.util';
import { Blueprint } from '../blueprint/blueprint';
import {
  DanceFinisher,
  describe,
  unwrapPassportError,
} from '../dance/dance-finisher';
import { DanceStateStore } from '../dance/dance-state.store';
import { safeRedirectPath } from '../dance/redirect.util';
import { runStrategy } from '../dance/strategy-runner.util';
import { TokenEndpointLimits } from '../protocol/token-endpoint.client';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { DanceStateRecord } from '../dance/dance-state.store';
import { OAuthToken } from '../storage/oauth-token.interface';
import { OAuth1Client } from './oauth1.client';
import {
  MAX_REQUEST_TOKEN_LENGTH,
  OAuth1RequestTokenStore,
} from './oauth1-request-token.store';
import { OAuth1BlueprintStrategy } from './oauth1.strategy';

/** Longest callback parameter values accepted (RFC 5849 sets none; real ones are far shorter). */
const MAX_PARAM_LENGTH: Record<string, number> = {
  oauth_token: MAX_REQUEST_TOKEN_LENGTH,
  oauth_verifier: 512,
  denied: MAX_REQUEST_TOKEN_LENGTH,
  oauth_problem: 128,
};

/** What an OAuth 1.0a dance needs besides its blueprint. */
export interface OAuth1DanceConfig {
  /** The blueprint's callback URL, sent as `oauth_callback`. */
  callbackUrl: string;
  /** Where the request token secret is kept for the browser (session or sealed cookie). */
  store: DanceStateStore;
  /** The shared ends of every dance: hooks, storage, redirects, error pages. */
  finisher: DanceFinisher;
  /** The route that starts this dance, for "start again" messages. */
  loginUrl: string;
  /** Limits on the request token and access token requests. */
  limits?: TokenEndpointLimits;
}

/**
 * The OAuth 1.0a dance of one blueprint (RFC 5849 §2): `GET {loginPath}/{name}` gets a
 * signed request token and redirects to the provider; `GET {loginPath}/{name}/authorized`
 * takes the remembered request token (this browser's, once), exchanges it and the verifier
 * for an access token, then finishes exactly like the OAuth 2.0 dance.
 */
export class OAuth1Dance {
  private readonly logger = new Logger('nest-dance');
  private readonly requestTokens: OAuth1RequestTokenStore;
  /** The passport-oauth1 strategy of the blueprint. */
  readonly strategy: OAuth1BlueprintStrategy;

  constructor(
    private readonly blueprint: Blueprint,
    private readonly config: OAuth1DanceConfig,
  ) {
    this.requestTokens = new OAuth1RequestTokenStore(
      blueprint.name,
      config.store,
    );
    this.strategy = new OAuth1BlueprintStrategy(
      blueprint.options,
      config.callbackUrl,
      this.requestTokens,
      new OAuth1Client(blueprint.options, config.limits),
    );
  }

  /** `GET {loginPath}/{name}`: request token, remembered for this browser, then the redirect. */
  async login(exchange: HttpExchange): Promise<void> {
    const { finisher } = this.config;
    const next = safeRedirectPath(exchange.query().next) ?? undefined;
    const outcome = await runStrategy(
      this.strategy,
      passportLoginRequestOf(exchange),
      {
        state: { next },
      },
    );
    if (outcome.kind === 'redirect') {
      return finisher.redirectToProvider(this.blueprint, outcome.url, exchange);
    }
    const cause =
      outcome.kind === 'error' ? unwrapPassportError(outcome.error) : undefined;
    if (cause instanceof TokenEndpointError) {
      const override = await finisher.fireError(exchange, {
        blueprint: this.blueprint,
        error: 'request_token_failed',
        description: cause.message,
        cause,
        request: exchange.request,
      });
      if (override) return finisher.redirect(exchange, override);
      return finisher.errorPage(
        exchange,
        502,
        `The provider did not give a request token. ${cause.message}`,
      );
    }
    this.logger.error(
      `Could not start the '${this.blueprint.name}' dance: ${describe(cause)}`,
    );
    return finisher.errorPage(
      exchange,
      500,
      'The login with this provider could not start.',
    );
  }

  /** `GET {loginPath}/{name}/authorized?oauth_token&oauth_verifier`: the provider's redirect back. */
  async callback(exchange: HttpExchange): Promise<void> {
    const { finisher } = this.config;
    const blueprint = this.blueprint;
    const query = exchange.query();

    for (const [param, max] of Object.entries(MAX_PARAM_LENGTH)) {
      const value = query[param];
      if (
        value !== undefined &&
        (typeof value !== 'string' || value.length > max)
      ) {
        return finisher.errorPage(
          exchange,
          400,
          `The '${param}' parameter is malformed or too long.`,
        );
      }
    }

    // Nothing happens before the request token is one this browser was given: a forged
    // callback neither reaches the error hook nor spends the real dance's request token.
    // No standard says how a refusal comes back: Twitter sends `denied`, Atlassian
    // `oauth_verifier=denied`, the Problem Reporting extension `oauth_problem`.
    const problem = query.oauth_problem as string | undefined;
    const claimed = this.requestTokens.claim(
      exchange,
      query.denied ?? query.oauth_token,
    );
    if (typeof claimed === 'string') {
      return finisher.errorPage(
        exchange,
        403,
        `${claimed} Start again at ${this.config.loginUrl}.`,
      );
    }
    if (
      query.denied !== undefined ||
      problem !== undefined ||
      query.oauth_verifier === 'denied'
    ) {
      const next = claimed.next;
      const override = await finisher.fireError(exchange, {
        blueprint,
        error:
          problem && problem !== 'user_refused' ? problem : 'access_denied',
        description: 'The user (or the provider) refused the authorization.',
        request: exchange.request,
      });
      return finisher.redirect(
        exchange,
        override ?? finisher.afterDance(blueprint, next),
      );
    }

    if (typeof query.oauth_verifier !== 'string' || !query.oauth_verifier) {
      // OAuth 1.0 without the verifier is open to session fixation: 1.0a only. (The request
      // token was claimed above: it is spent.)
      return finisher.errorPage(
        exchange,
        400,
        'The provider sent no oauth_verifier (OAuth 1.0a requires it).',
      );
    }

    const outcome = await runStrategy(this.strategy, exchange, {});
    if (outcome.kind === 'fail') {
      const message =
        (outcome.challenge as { message?: string } | undefined)?.message ??
        'Invalid request token.';
      return finisher.errorPage(
        exchange,
        403,
        `${message} Start again at ${this.config.loginUrl}.`,
      );
    }
    if (outcome.kind === 'error') {
      return finisher.tokenRequestFailed(blueprint, outcome.error, exchange);
    }
    if (outcome.kind !== 'success') {
      return finisher.errorPage(
        exchange,
        500,
        'The login with this provider did not complete.',
      );
    }
    const token = outcome.user as OAuthToken;
    // passport-oauth1 hands the store's record back as `info.state`.
    const record = (outcome.info as { state?: DanceStateRecord }).state;
    await finisher.finish(blueprint, token, record?.next, exchange);
  }
}

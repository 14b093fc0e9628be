import { randomBytes } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { HttpExchange } from '../platform/http-edge.interface';
import { HttpPlatform } from '../platform/http-platform.service';
import type { OAuthProfile } from '../blueprint/oauth-profile.interface';
import {
  PassportDanceRunner,
  PassportRunActions,
} from './dance-passport.strategy';
import { finishForPassport } from './passport-finish.util';
import { passportLoginRequestOf } from '../platform/passport-request.util';
import { Blueprint } from '../blueprint/blueprint';
import { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { OAuthUserContext } from '../context/oauth-user.context';
import { baseScopesOf, requestedScopes } from '../blueprint/scope-request.util';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import { OAUTH_CONSUMER_OPTIONS } from '../oauth-consumer.module-definition';
import { OAuthToken } from '../storage/oauth-token.interface';
import { BlueprintStrategy } from './blueprint.strategy';
import { DANCE_ROUTES, DanceRoutes } from './dance-routes.interface';
import {
  DanceStateRecord,
  DanceStateStore,
  refusalMessage,
} from './dance-state.store';
import { DanceFinisher, describe, noStore } from './dance-finisher';
import { OAuthEvents } from './oauth.events';
import { safeRedirectPath } from './redirect.util';
import { OAuth1Dance } from '../oauth1/oauth1-dance';
import { OAuth1BlueprintStrategy } from '../oauth1/oauth1.strategy';
import { StateSealer } from './state-sealer.util';
import { runStrategy } from './strategy-runner.util';
import { RuntimeDances } from './runtime-dance.util';
import {
  FormPostCallback,
  FormPostStateStore,
  usesFormPost,
  withQuery,
} from './form-post-callback';

const DEFAULT_DANCE_TIMEOUT_MS = 10 * 60 * 1000;
/** Longest callback parameter values accepted (RFC 6749 sets none; real ones are far shorter). */
const MAX_PARAM_LENGTH: Record<string, number> = {
  code: 2048,
  state: 512,
  iss: 2048,
  error: 128,
  error_description: 1024,
  error_uri: 2048,
};

interface DanceParts {
  blueprint: Blueprint;
  strategy: BlueprintStrategy;
  store: DanceStateStore;
  /** The POST callback of blueprints answered with `response_mode=form_post`. */
  formPost?: FormPostCallback;
}

/** How a dance run by `danceStrategy` differs: the app's callback route, passport's ending. */
interface PassportVia {
  callbackUrl: string;
  finish(
    blueprint: Blueprint,
    token: OAuthToken,
    next: string | undefined,
    exchange: HttpExchange,
  ): Promise<void>;
}

/** One blueprint's dance: OAuth 2.0 (a strategy) or OAuth 1.0a. */
type Dance = { parts: DanceParts } | { oauth1: OAuth1Dance };

/**
 * Runs the OAuth 2.0 authorization code dance for every blueprint: the login redirect
 * (state + PKCE S256) and the callback (state check, `iss` check, code exchange, hooks,
 * storage, safe redirect); OAuth 1.0a blueprints run `OAuth1Dance`, which ends the same
 * way. `DanceController` routes requests here.
 */
@Injectable()
export class DanceService
  implements OnModuleInit, OnApplicationBootstrap, PassportDanceRunner
{
  private readonly logger = new Logger('nest-dance');
  private readonly dances = new Map<string, DanceParts>();
  private readonly oauth1Dances = new Map<string, OAuth1Dance>();
  /** The dances of `danceStrategy` strategies, by blueprint and callback URL. */
  private readonly passportDances = new Map<string, DanceParts>();
  /** Blueprints a `danceStrategy` was made for (checked at start-up). */
  private readonly passportStrategies = new Set<string>();
  private readonly finisher: DanceFinisher;
  private readonly runtime: RuntimeDances<Dance>;
  private sealer?: StateSealer;

  constructor(
    @Inject(OAUTH_CONSUMER_OPTIONS)
    private readonly options: OAuthConsumerModuleOptions,
    @Inject(DANCE_ROUTES) private readonly routes: DanceRoutes,
    private readonly registry: BlueprintRegistry,
    private readonly events: OAuthEvents,
    private readonly context: OAuthUserContext,
    private readonly platform: HttpPlatform,
  ) {
    this.finisher = new DanceFinisher(options, events);
    this.runtime = new RuntimeDances(registry, (b) => this.danceFor(b));
  }

  /** Builds one strategy per blueprint; fails start-up when a callback URL cannot be known. */
  onModuleInit(): void {
    for (const blueprint of this.registry.all()) {
      const dance = this.danceFor(blueprint);
      if ('oauth1' in dance)
        this.oauth1Dances.set(blueprint.name, dance.oauth1);
      else this.dances.set(blueprint.name, dance.parts);
    }
  }

  /** The dance of a static blueprint, else of the app's `blueprintSource` (or a 404/503 page). */
  private async findDance(
    name: string,
    exchange: HttpExchange,
  ): Promise<Dance | undefined> {
    const oauth1 = this.oauth1Dances.get(name);
    if (oauth1) return { oauth1 };
    const parts = this.dances.get(name);
    if (parts) return { parts };
    const found = await this.runtime.find(name);
    if ('dance' in found) return found.dance;
    this.finisher.errorPage(exchange, found.status, found.message);
    return undefined;
  }

  private danceFor(blueprint: Blueprint): Dance {
    const redirectUri = this.redirectUriOf(blueprint);
    const config = {
      sealer: () => this.stateSealer(),
      cookiePath: `${this.routes.loginPath}/${blueprint.name}`,
      secure: redirectUri.startsWith('https:'),
      ttlMs: this.options.danceTimeoutMs ?? DEFAULT_DANCE_TIMEOUT_MS,
      pkce: blueprint.options.pkce !== false,
      owner: () => this.context.getUserId(),
    };
    const formPost = usesFormPost(blueprint)
      ? { ...config, callbackPath: `${config.cookiePath}/authorized` }
      : undefined;
    const store = formPost
      ? new FormPostStateStore(blueprint.name, config, formPost)
      : new DanceStateStore(blueprint.name, config);
    if (blueprint.options.protocol === 'oauth1') {
      return {
        oauth1: new OAuth1Dance(blueprint, {
          callbackUrl: redirectUri,
          store,
          finisher: this.finisher,
          loginUrl: `${this.routes.loginPath}/${blueprint.name}`,
          limits: this.options.tokenEndpoint,
        }),
      };
    }
    const strategy = new BlueprintStrategy(
      blueprint.options,
      redirectUri,
      store,
      blueprint.tokenEndpoint,
    );
    return {
      parts: {
        blueprint,
        strategy,
        store,
        formPost: formPost && new FormPostCallback(blueprint.name, formPost),
      },
    };
  }

  /**
   * Refuses at start-up what cannot run: a `danceStrategy` on Fastify (passport answers
   * through Express's response) or for an OAuth 1.0a blueprint.
   */
  onApplicationBootstrap(): void {
    for (const name of this.passportStrategies) {
      if (this.platform.name === 'fastify') {
        throw new InvalidOptionsError(
          `danceStrategy('${name}') runs under @nestjs/passport, and passport answers through Express's ` +
            "response: it cannot run on Fastify. On Fastify use nest-dance's own routes " +
            `(${this.routes.loginPath}/${name}) and sign users in from the authorized hook with ` +
            'signIn(request, user) (see the sign-in guide), or run the app on Express.',
        );
      }
      if (this.oauth1Dances.has(name)) {
        throw new InvalidOptionsError(
          `danceStrategy('${name}'): '${name}' is an OAuth 1.0a blueprint; danceStrategy runs OAuth 2.0 ` +
            `dances only. Use nest-dance's own routes (${this.routes.loginPath}/${name}) for it.`,
        );
      }
      this.registry.get(name);
    }
  }

  /** Registers a `danceStrategy` (called by its constructor). */
  adoptPassportStrategy(name: string): void {
    this.passportStrategies.add(name);
  }

  /**
   * Runs a `danceStrategy` strategy for passport: the login (state + PKCE, redirect to the
   * provider) or, when the provider's parameters are there, the callback with every check of
   * nest-dance's own routes, ending in `validate(token, profile)`, `req.login` and storage.
   */
  async authenticateForPassport(
    name: string,
    exchange: HttpExchange,
    run: PassportRunActions,
    options: {
      callbackUrl?: string;
      verify: (token: OAuthToken, profile?: OAuthProfile) => Promise<unknown>;
      session: boolean;
    },
  ): Promise<void> {
    const blueprint = this.registry.get(name);
    const via: PassportVia = {
      callbackUrl: options.callbackUrl ?? this.redirectUriOf(blueprint),
      finish: async (blueprint, token, next, exchange) =>
        finishForPassport({
          blueprint,
          token,
          profile: await this.finisher.profileOf(blueprint, token),
          next,
          exchange,
          run,
          verify: options.verify,
          session: options.session,
          events: this.events,
        }),
    };
    const query = exchange.query();
    const isCallback = ['code', 'error', 'state'].some(
      (param) => query[param] !== undefined,
    );
    return isCallback
      ? this.callback(name, exchange, via)
      : this.login(name, exchange, via);
  }

  /** The passport-oauth2 strategy of a blueprint (e.g. to register it with passport yourself). */
  strategyOf(name: string): BlueprintStrategy {
    return this.partsOf(name).strategy;
  }

  /** The passport-oauth1 strategy of an OAuth 1.0a blueprint. */
  oauth1StrategyOf(name: string): OAuth1BlueprintStrategy {
    const dance = this.oauth1Dances.get(name);
    if (!dance) {
      this.registry.get(name);
      throw new InvalidOptionsError(
        `Blueprint '${name}' uses OAuth 2.0: its strategy is strategyOf('${name}').`,
      );
    }
    return dance.strategy;
  }

  /** `GET {loginPath}/{name}`: remembers state + PKCE and redirects to the provider. */
  async login(
    name: string,
    exchange: HttpExchange,
    via?: PassportVia,
  ): Promise<void> {
    noStore(exchange);
    const dance = via
      ? this.passportDanceOf(name, via, exchange)
      : await this.findDance(name, exchange);
    if (!dance) return;
    if ('oauth1' in dance) return dance.oauth1.login(exchange);
    const { parts } = dance;
    const next = safeRedirectPath(exchange.query().next) ?? undefined;
    const asked = requestedScopes(
      parts.blueprint.options,
      exchange.query().scope,
    );
    if ('refused' in asked) {
      return this.finisher.errorPage(
        exchange,
        400,
        `This login link asks for scopes the app does not allow (${asked.refused.join(', ')}). ` +
          "The app can allow them with the blueprint's queryScopes or RequireToken(name, { scopes }).",
      );
    }
    // `?account=new`: let the user pick another account at the provider.
    const anotherAccount = exchange.query().account === 'new';
    const outcome = await runStrategy(
      parts.strategy,
      passportLoginRequestOf(exchange),
      {
        state: { next },
        ...(anotherAccount
          ? {
              extraParams: parts.blueprint.options.anotherAccountParams ?? {
                prompt: 'select_account',
              },
            }
          : {}),
        ...(asked.scopes.length
          ? {
              scope: [
                ...new Set([
                  ...baseScopesOf(parts.blueprint.options),
                  ...asked.scopes,
                ]),
              ],
            }
          : {}),
      },
    );
    if (outcome.kind !== 'redirect') {
      const cause = outcome.kind === 'error' ? outcome.error : undefined;
      // Text that came from outside (a provider's error) is not the app's failure: a warning.
      const log = fromOutside(cause) ? 'warn' : 'error';
      this.logger[log](
        `Could not start the '${name}' dance: ${describe(cause)}`,
      );
      return this.finisher.errorPage(
        exchange,
        500,
        'The login with this provider could not start.',
      );
    }
    await this.finisher.redirectToProvider(
      parts.blueprint,
      outcome.url,
      exchange,
    );
  }

  /** `GET {loginPath}/{name}/authorized`: the provider's redirect back with a code or an error. */
  async callback(
    name: string,
    exchange: HttpExchange,
    via?: PassportVia,
  ): Promise<void> {
    noStore(exchange);
    const dance = via
      ? this.passportDanceOf(name, via, exchange)
      : await this.findDance(name, exchange);
    if (!dance) return;
    if ('oauth1' in dance) return dance.oauth1.callback(exchange);
    const { parts } = dance;
    // The GET after a form_post answer (see FormPostCallback): its fields are the query.
    const posted = parts.formPost?.resume(exchange);
    if (posted) {
      exchange = this.platform.exchange(
        withQuery(exchange.request, posted),
        exchange.response,
      );
    }
    const { blueprint, strategy, store } = parts;
    const query = exchange.query();

    // Nothing happens before the state is valid: a malformed callback changes nothing, and a
    // forged one (no state, a wrong one) neither reaches the error hook nor spends the real one.
    for (const [param, max] of Object.entries(MAX_PARAM_LENGTH)) {
      const value = query[param];
      if (
        value !== undefined &&
        (typeof value !== 'string' || value.length > max)
      ) {
        return this.finisher.errorPage(
          exchange,
          400,
          `The '${param}' parameter is malformed or too long.`,
        );
      }
    }
    const claimed = store.claim(exchange, query.state);
    if ('refusal' in claimed) {
      return this.finisher.errorPage(
        exchange,
        403,
        `${refusalMessage(claimed.refusal)} Start again at ${this.routes.loginPath}/${name}.`,
      );
    }

    if (typeof query.error === 'string') {
      const next = claimed.record.next;
      const override = await this.finisher.fireError(exchange, {
        blueprint,
        error: query.error,
        description: query.error_description as string | undefined,
        uri: query.error_uri as string | undefined,
        request: exchange.request,
      });
      return this.finisher.redirect(
        exchange,
        override ?? this.finisher.afterDance(blueprint, next),
      );
    }

    if (typeof query.code !== 'string' || !query.code) {
      return this.finisher.errorPage(
        exchange,
        400,
        'The provider sent neither a code nor an error.',
      );
    }

    const issuerProblem = this.issuerProblem(blueprint, query.iss);
    if (issuerProblem) {
      return this.finisher.errorPage(exchange, 403, issuerProblem);
    }

    const outcome = await runStrategy(strategy, exchange, {});
    if (outcome.kind === 'fail') {
      const message =
        (outcome.challenge as { message?: string } | undefined)?.message ??
        'Invalid OAuth state.';
      return this.finisher.errorPage(
        exchange,
        403,
        `${message} Start again at ${this.routes.loginPath}/${name}.`,
      );
    }
    if (outcome.kind === 'error') {
      return this.finisher.tokenRequestFailed(
        blueprint,
        outcome.error,
        exchange,
      );
    }
    if (outcome.kind !== 'success') {
      return this.finisher.errorPage(
        exchange,
        500,
        'The login with this provider did not complete.',
      );
    }

    const token = outcome.user as OAuthToken;
    // passport-oauth2 hands the state store's record back as `info.state`.
    const record = (outcome.info as { state: DanceStateRecord }).state;
    if (via) return via.finish(blueprint, token, record.next, exchange);
    await this.finisher.finish(blueprint, token, record.next, exchange);
  }

  /** `POST {loginPath}/{name}/authorized`: a `response_mode=form_post` answer (Sign in with Apple). */
  async formPostCallback(name: string, exchange: HttpExchange): Promise<void> {
    noStore(exchange);
    const dance = await this.findDance(name, exchange);
    if (!dance) return;
    const formPost = 'parts' in dance ? dance.parts.formPost : undefined;
    if (!formPost) {
      return this.finisher.errorPage(
        exchange,
        405,
        `The '${name}' provider answers with a redirect (GET), not a form post.`,
      );
    }
    const refusal = formPost.accept(exchange);
    if (refusal) {
      return this.finisher.errorPage(
        exchange,
        refusal.status,
        `${refusal.message} Start again at ${this.routes.loginPath}/${name}.`,
      );
    }
  }

  private issuerProblem(blueprint: Blueprint, iss: unknown): string | null {
    const expected = blueprint.options.issuer;
    if (iss === undefined) {
      return blueprint.options.requireIss
        ? 'The provider did not identify itself (no iss parameter); refusing the response.'
        : null;
    }
    if (expected && iss !== expected) {
      return 'The response comes from another issuer than this provider (iss mismatch); refusing it.';
    }
    return null;
  }

  /** The dance of a `danceStrategy`: the blueprint's, with the app's own callback route. */
  private passportDanceOf(
    name: string,
    via: PassportVia,
    exchange: HttpExchange,
  ): { parts: DanceParts } | undefined {
    const key = `${name} ${via.callbackUrl}`;
    const known = this.passportDances.get(key);
    if (known) return { parts: known };
    const parts = this.dances.get(name);
    if (!parts) {
      this.finisher.errorPage(exchange, 404, `Unknown provider '${name}'.`);
      return undefined;
    }
    const { blueprint } = parts;
    // The app's own routes: the state cookie (apps without a session) goes to its callback.
    const store = parts.store.forCookiePath(new URL(via.callbackUrl).pathname);
    const strategy = new BlueprintStrategy(
      blueprint.options,
      via.callbackUrl,
      store,
      blueprint.tokenEndpoint,
    );
    const made = { blueprint, strategy, store };
    this.passportDances.set(key, made);
    return { parts: made };
  }

  private redirectUriOf(blueprint: Blueprint): string {
    if (blueprint.options.redirectUrl) return blueprint.options.redirectUrl;
    const publicUrl = this.options.publicUrl;
    if (!publicUrl || !/^https?:\/\/[^/]+/i.test(publicUrl)) {
      throw new InvalidOptionsError(
        `Blueprint '${blueprint.name}' needs a callback URL: set OAuthConsumerModule.forRoot({ publicUrl: ` +
          `'https://your.app' }) (callbacks are never built from the Host header), or give the blueprint a redirectUrl.`,
      );
    }
    return `${publicUrl.replace(/\/+$/, '')}${this.routes.loginPath}/${blueprint.name}/authorized`;
  }

  private stateSealer(): StateSealer {
    if (!this.sealer) {
      let secret = this.options.stateSecret;
      if (!secret) {
        secret = randomBytes(32).toString('base64url');
        this.logger.warn(
          'No session and no stateSecret: OAuth state cookies are sealed with a per-process ' +
            'secret. Set OAuthConsumerModule.forRoot({ stateSecret }) when the app runs in several processes.',
        );
      } else if (secret.length < 32) {
        throw new InvalidOptionsError(
          'stateSecret must be at least 32 characters long.',
        );
      }
      this.sealer = new StateSealer(secret);
    }
    return this.sealer;
  }

  private partsOf(name: string): DanceParts {
    const parts = this.dances.get(name);
    if (!parts) {
      this.registry.get(name);
      throw new InvalidOptionsError(
        `Blueprint '${name}' uses OAuth 1.0a: its strategy is oauth1StrategyOf('${name}').`,
      );
    }
    return parts;
  }
}

/** Errors whose text a provider (or whoever sent the request) wrote: passport's and ours. */
function fromOutside(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return (
    name === 'AuthorizationError' ||
    name === 'TokenError' ||
    name === 'InternalOAuthError' ||
    name === 'TokenEndpointError'
  );
}

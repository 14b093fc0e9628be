import { Type } from '@nestjs/common';
import type { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { edgeOf } from '../platform/http-platform.service';
import type { HttpExchange } from '../platform/http-edge.interface';
import type { OAuthToken } from '../storage/oauth-token.interface';

/**
 * Options of a strategy made by `danceStrategy(name)`, given after the `DanceService`:
 * `super(dance, { callbackUrl })`.
 * @publicApi
 */
export interface DanceStrategyOptions {
  /**
   * The absolute URL of the app's callback route (the one under `AuthGuard(name)` that the
   * provider redirects back to), e.g. `https://app.example.com/auth/github/callback`. Default:
   * the blueprint's `redirectUrl`, else `{publicUrl}{loginPath}/{name}/authorized`.
   */
  callbackUrl?: string;
}

/** What `validate(token, profile)` is called with; `done` gets the user (or none). */
export type DanceVerify = (
  token: OAuthToken,
  profile: OAuthProfile | undefined,
  done: (error: unknown, user?: unknown, info?: unknown) => void,
) => void;

/** How one passport run ends (what passport gives a strategy's `authenticate`). */
export interface PassportRunActions {
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  pass(): void;
  error(error: unknown): void;
}

/** The part of `DanceService` a dance strategy runs through. */
export interface PassportDanceRunner {
  /** Registers a strategy, so that start-up can refuse it where it cannot run. */
  adoptPassportStrategy(name: string): void;
  /** Runs the login or the callback of blueprint `name` for passport. */
  authenticateForPassport(
    name: string,
    exchange: HttpExchange,
    run: PassportRunActions,
    options: {
      callbackUrl?: string;
      verify: (token: OAuthToken, profile?: OAuthProfile) => Promise<unknown>;
      /** `req.login` the user (passport's `session` option, as `AuthGuard` passes it). */
      session: boolean;
    },
  ): Promise<void>;
}

/**
 * The class a dance strategy is: pass it to `PassportStrategy(<it>, name)`.
 * @publicApi
 */
export interface DanceStrategyClass {
  new (
    dance: PassportDanceRunner,
    ...rest: [DanceVerify] | [DanceStrategyOptions | undefined, DanceVerify]
  ): { name: string; authenticate(request: unknown, options?: unknown): void };
}

/**
 * A passport strategy for blueprint `name` that runs nest-dance's dance (state + PKCE S256,
 * the `iss` check, the token request, the profile) and stores the token through
 * `TOKEN_STORAGE` for the user `validate(token, profile)` returns, with `req.login` first when
 * the app uses passport sessions. For `@nestjs/passport`, on Express:
 * @publicApi
 * @example
 * class GithubStrategy extends PassportStrategy(danceStrategy('github'), 'github') {
 *   constructor(dance: DanceService, private users: UsersService) { super(dance); }
 *   validate(token: OAuthToken, profile?: OAuthProfile) { return this.users.upsert(profile); }
 * }
 */
export function danceStrategy(name: string): DanceStrategyClass {
  if (typeof name !== 'string' || !name) {
    throw new TypeError(
      "danceStrategy(name) takes the blueprint's name: danceStrategy('github').",
    );
  }
  class DanceStrategy {
    name = name;
    private readonly verify: DanceVerify;
    private readonly callbackUrl?: string;

    constructor(
      private readonly dance: PassportDanceRunner,
      ...rest: [DanceVerify] | [DanceStrategyOptions | undefined, DanceVerify]
    ) {
      if (!dance || typeof dance.authenticateForPassport !== 'function') {
        throw new TypeError(
          `danceStrategy('${name}') needs nest-dance's DanceService: inject it and call super(dance).`,
        );
      }
      const verify = rest[rest.length - 1];
      const options = rest.length > 1 ? (rest[0] as DanceStrategyOptions) : {};
      if (typeof verify !== 'function') {
        throw new TypeError(
          `danceStrategy('${name}') needs a verify function: extend PassportStrategy(danceStrategy('${name}'), ` +
            `'${name}') and implement validate(token, profile).`,
        );
      }
      this.verify = verify as DanceVerify;
      this.callbackUrl = options?.callbackUrl;
      dance.adoptPassportStrategy(name);
    }

    /** Called by passport with this run's success/fail/pass/error (`this` is the run). */
    authenticate(request: unknown, options?: { session?: boolean }): void {
      const run = this as unknown as PassportRunActions & DanceStrategy;
      const response = (request as { res?: unknown }).res;
      const exchange = edgeOf(request).exchange(request, response);
      this.dance
        .authenticateForPassport(name, exchange, run, {
          callbackUrl: this.callbackUrl,
          session: options?.session === true,
          verify: (token, profile) =>
            new Promise((resolve, reject) =>
              this.verify(token, profile, (error, user) =>
                error ? reject(error) : resolve(user),
              ),
            ),
        })
        .catch((error: unknown) => run.error(error));
    }
  }
  return DanceStrategy as unknown as DanceStrategyClass & Type<unknown>;
}

import {
  ArgumentsHost,
  applyDecorators,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { edgeOf } from '../platform/http-platform.service';
import { safeRedirectPath } from '../dance/redirect.util';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenMissingError } from '../errors/token-missing.error';
import { TokenRefreshError } from '../errors/token-refresh.error';
import { UserRequiredError } from '../errors/user-required.error';
import { BlueprintRegistry } from './blueprint.registry';
import { registerRequiredScopes } from './scope-request.util';

const REQUIRED_PROVIDERS = 'nest-dance:required-providers';

/**
 * What `RequireToken(provider, options)` asks of the provider's token.
 * @publicApi
 */
export interface RequireTokenOptions {
  /**
   * Scopes the token must have been granted; users without them are sent to the login route
   * asking for them on top of the blueprint's `scope` (incremental authorization).
   */
  scopes?: readonly string[];
}

interface TokenRequirement {
  provider: string;
  scopes: readonly string[];
}

/**
 * Thrown at the HTTP edge when a route needs a provider token the user does not have.
 * @publicApi
 */
export class TokenRequiredException extends Error {
  override name = 'TokenRequiredException';
  constructor(
    readonly provider: string,
    readonly loginUrl: string,
  ) {
    super(`Connect ${provider} first: ${loginUrl}`);
  }
}

/**
 * Lets a route run only when the user has a token for each named provider.
 * @publicApi
 */
@Injectable()
export class TokenRequiredGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: BlueprintRegistry,
  ) {}

  /** Checks every required provider; throws `TokenRequiredException` for the first one missing. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirements =
      this.reflector.getAllAndOverride<TokenRequirement[]>(REQUIRED_PROVIDERS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    for (const { provider: name, scopes } of requirements) {
      const blueprint = this.registry.get(name);
      if (!(await blueprint.isAuthorized())) {
        throw new TokenRequiredException(
          name,
          scopes.length
            ? blueprint.loginUrlFor({ scopes })
            : (blueprint.loginUrl ?? `/login/${name}`),
        );
      }
      if (scopes.length && !(await blueprint.hasScopes(scopes))) {
        throw new TokenRequiredException(
          name,
          blueprint.loginUrlFor({ scopes }),
        );
      }
    }
    return true;
  }
}

/**
 * Sends a user without a (usable) token to the provider's login route instead of a bare 500:
 * a redirect that returns to the page for browsers, a 401 with `loginUrl` for API clients.
 * @publicApi
 */
@Catch(
  TokenRequiredException,
  TokenMissingError,
  TokenRefreshError,
  UserRequiredError,
)
export class TokenRequiredFilter implements ExceptionFilter {
  /** Answers with a redirect or a 401 that names the login route (or asks to sign in). */
  catch(error: Error, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<object>();
    const exchange = edgeOf(request).exchange(request, http.getResponse());
    if (error instanceof UserRequiredError) {
      // No provider login helps a visitor the app has not signed in: its tokens need a user.
      exchange.json(HttpStatus.UNAUTHORIZED, {
        statusCode: HttpStatus.UNAUTHORIZED,
        error: 'UserRequired',
        message: `Sign in before using ${error.provider}.`,
      });
      return;
    }
    if (error instanceof TokenRefreshError && !error.needsReconnect) {
      exchange.json(HttpStatus.SERVICE_UNAVAILABLE, {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'ProviderUnavailable',
        message: `${error.provider} is not answering right now; try again shortly.`,
      });
      return;
    }
    const provider = (error as { provider?: string }).provider ?? 'provider';
    const loginUrl =
      (error as { loginUrl?: string }).loginUrl ??
      `/login/${encodeURIComponent(provider)}`;
    const next = safeRedirectPath(exchange.url);
    const target = next
      ? `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`
      : loginUrl;
    if (
      exchange.method === 'GET' &&
      exchange.accepts(['html', 'json']) === 'html'
    ) {
      exchange.redirect(target, HttpStatus.FOUND);
      return;
    }
    exchange.json(HttpStatus.UNAUTHORIZED, {
      statusCode: HttpStatus.UNAUTHORIZED,
      error: 'TokenRequired',
      message: `Connect ${provider} first.`,
      loginUrl: target,
    });
  }
}

/**
 * Requires a token for each named provider (Flask-Dance's `authorization_required`): users
 * without one are sent to the login route; a dead grant found while the handler runs does
 * the same. Options after a provider name require scopes of its token
 * (`RequireToken('github', { scopes: ['repo'] })`): users whose token lacks them are sent to
 * the login route asking for them.
 * @publicApi
 * @example @RequireToken('github') @Get('repos') repos() { ... }
 */
export function RequireToken(
  ...providers: Array<string | RequireTokenOptions>
): MethodDecorator & ClassDecorator {
  const requirements: TokenRequirement[] = [];
  for (const entry of providers) {
    if (typeof entry === 'string') {
      requirements.push({ provider: entry, scopes: [] });
      continue;
    }
    const last = requirements[requirements.length - 1];
    if (!last) {
      throw new InvalidOptionsError(
        "RequireToken options follow a provider name: RequireToken('github', { scopes: ['repo'] }).",
      );
    }
    last.scopes = [...new Set([...last.scopes, ...(entry.scopes ?? [])])];
    registerRequiredScopes(last.provider, last.scopes);
  }
  return applyDecorators(
    SetMetadata(REQUIRED_PROVIDERS, requirements),
    UseGuards(TokenRequiredGuard),
    UseFilters(TokenRequiredFilter),
  );
}

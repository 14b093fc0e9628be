import { Logger } from '@nestjs/common';
import { HttpExchange } from '../platform/http-edge.interface';
import { Blueprint } from '../blueprint/blueprint';
import { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { UserRequiredError } from '../errors/user-required.error';
import { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import {
  redactError,
  redactText,
  secretStringsOf,
} from '../redaction/redact.util';
import { OAuthToken } from '../storage/oauth-token.interface';
import { validatedIdTokenClaims } from '../protocol/token-endpoint.client';
import { storeDanceToken } from '../connections/dance-connection.util';
import { readLimitedBody } from '../protocol/limited-body.util';
import { escapeHtml } from './html.util';
import { AuthorizedHookResult, OAuthErrorEvent } from './oauth-hooks.interface';
import { OAuthEvents } from './oauth.events';
import { safeRedirectPath } from './redirect.util';
import { withPostedUser } from './form-post-callback';

/** The largest user-info answer read during the dance (real ones are a few KiB). */
const MAX_PROFILE_BYTES = 1024 * 1024;

/**
 * The protocol-independent ends of every dance (OAuth 2.0 and OAuth 1.0a alike): the
 * `beforeLogin` hook and redirect to the provider; and, once a token arrived, the profile,
 * the `authorized` hook, the owner, storage, error hooks and the safe redirect back.
 */
export class DanceFinisher {
  private readonly logger = new Logger('nest-dance');

  constructor(
    private readonly options: OAuthConsumerModuleOptions,
    private readonly events: OAuthEvents,
  ) {}

  /** Runs the `beforeLogin` hook and event, then redirects the browser to the provider. */
  async redirectToProvider(
    blueprint: Blueprint,
    url: string,
    exchange: HttpExchange,
  ): Promise<void> {
    const hook = this.options.hooks?.beforeLogin;
    if (hook) await hook({ blueprint, url, request: exchange.request });
    await this.events.emit('beforeLogin', {
      blueprint,
      url,
      request: exchange.request,
    });
    exchange.redirect(url, 302);
  }

  /**
   * The token request failed: tells the error hook and listeners, then redirects where the
   * hook says or shows a 502 page whose text is the provider's error, never a secret.
   */
  async tokenRequestFailed(
    blueprint: Blueprint,
    error: unknown,
    exchange: HttpExchange,
  ): Promise<void> {
    const cause = unwrapPassportError(error);
    const description =
      cause instanceof TokenEndpointError
        ? cause.message
        : 'The token request failed.';
    if (!(cause instanceof TokenEndpointError)) {
      this.logger.error(
        `The '${blueprint.name}' token request failed: ${describe(cause)}`,
      );
    }
    const override = await this.fireError(exchange, {
      blueprint,
      error: 'token_request_failed',
      description,
      cause,
      request: exchange.request,
    });
    if (override) return this.redirect(exchange, override);
    return this.errorPage(
      exchange,
      502,
      `The provider did not give a token. ${description}`,
    );
  }

  /**
   * A token arrived: reads the profile, asks the `authorized` hook, stores the token for its
   * owner and redirects (to `next`, the hook's choice or the configured page).
   */
  async finish(
    blueprint: Blueprint,
    token: OAuthToken,
    next: string | undefined,
    exchange: HttpExchange,
  ): Promise<void> {
    // Sign in with Apple posts the user's name once, beside the code.
    const profile = withPostedUser(
      await this.profileOf(blueprint, token),
      exchange.request,
    );
    const event = { blueprint, token, profile, request: exchange.request };
    let decision: AuthorizedHookResult;
    try {
      decision = await this.options.hooks?.authorized?.(event);
    } catch (error) {
      this.logger.error(
        `The authorized hook of '${blueprint.name}' failed: ${describe(error, secretStringsOf(token))}`,
      );
      return this.errorPage(
        exchange,
        500,
        'The app could not finish the login.',
      );
    }
    await this.events.emit('authorized', event);
    const afterDance = this.afterDance(blueprint, next);
    if (decision === false) return this.redirect(exchange, afterDance);
    const hasUser = !!decision && decision.user !== undefined;
    const hookRedirect =
      decision && decision.redirect !== undefined
        ? safeRedirectPath(decision.redirect)
        : null;
    if (decision && decision.redirect !== undefined && !hookRedirect) {
      this.logger.warn(
        `The authorized hook of '${blueprint.name}' returned an unsafe redirect; using ${afterDance}.`,
      );
    }
    if (decision && decision.redirect !== undefined && !hasUser) {
      return this.redirect(exchange, hookRedirect ?? afterDance);
    }
    try {
      await storeDanceToken(
        blueprint,
        token,
        profile,
        hasUser ? { user: decision!.user } : undefined,
        this.events,
      );
    } catch (error) {
      const override = await this.fireError(exchange, {
        blueprint,
        error: 'storage_failed',
        description:
          error instanceof UserRequiredError
            ? `Cannot set OAuth token without an associated user: sign in before connecting ${blueprint.name}.`
            : 'The token could not be stored.',
        // A storage's error may quote the token (some drivers echo the row).
        cause: redactError(error, secretStringsOf(token)),
        request: exchange.request,
      });
      if (error instanceof UserRequiredError)
        return this.redirect(exchange, override ?? afterDance);
      this.logger.error(
        `Storing the '${blueprint.name}' token failed: ${describe(error, secretStringsOf(token))}`,
      );
      if (override) return this.redirect(exchange, override);
      return this.errorPage(
        exchange,
        500,
        `The ${blueprint.name} connection could not be saved. Please try again.`,
      );
    }
    this.redirect(exchange, hookRedirect ?? afterDance);
  }

  /** Runs the `error` hook and event; resolves to the hook's safe redirect, if it chose one. */
  async fireError(
    _exchange: HttpExchange,
    event: OAuthErrorEvent,
  ): Promise<string | null> {
    // Meant for logs: provider text may quote a code or a token.
    event.error = redactText(event.error).slice(0, 128);
    if (event.description !== undefined)
      event.description = redactText(event.description).slice(0, 1024);
    let redirect: string | null = null;
    try {
      const result = await this.options.hooks?.error?.(event);
      if (result && typeof result === 'object' && 'redirect' in result) {
        redirect = safeRedirectPath(result.redirect);
      }
    } catch (error) {
      this.logger.error(`The error hook failed: ${describe(error)}`);
    }
    await this.events.emit('error', event);
    return redirect;
  }

  /** Where the browser goes after the dance: `next`, the blueprint's, the module's, or `/`. */
  afterDance(blueprint: Blueprint, next: string | undefined): string {
    return (
      safeRedirectPath(next) ??
      safeRedirectPath(blueprint.options.redirectTo) ??
      safeRedirectPath(this.options.redirectTo) ??
      '/'
    );
  }

  /** A 302 to a path already checked to be safe. */
  redirect(exchange: HttpExchange, path: string): void {
    exchange.redirect(path, 302);
  }

  /** A short, redacted error page (JSON when the client asks for JSON). */
  errorPage(exchange: HttpExchange, status: number, message: string): void {
    message = redactText(message);
    if (exchange.accepts(['html', 'json']) === 'json') {
      exchange.json(status, {
        statusCode: status,
        error: 'OAuthDanceError',
        message,
      });
      return;
    }
    exchange.html(
      status,
      `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in problem</title></head>` +
        `<body><h1>Sign-in problem</h1><p>${escapeHtml(message)}</p><p><a href="/">Back</a></p></body></html>`,
    );
  }

  /** The user at the provider, from its user-info endpoint; `undefined` when unknown. */
  async profileOf(
    blueprint: Blueprint,
    token: OAuthToken,
  ): Promise<OAuthProfile | undefined> {
    const { userInfoUrl, profile } = blueprint.options;
    // Validated ID token claims that name the user make the userinfo call unnecessary.
    const claims = validatedIdTokenClaims(token);
    if (claims && profile) {
      const fromIdToken = profile({ ...claims });
      if (fromIdToken.name || fromIdToken.email) return fromIdToken;
    }
    if (!userInfoUrl || !profile) return undefined;
    try {
      const response = await blueprint.fetch(userInfoUrl, {
        token,
        method: blueprint.options.userInfoMethod ?? 'GET',
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return undefined;
      }
      const text = await readLimitedBody(response, MAX_PROFILE_BYTES);
      if (text === null) {
        this.logger.warn(
          `Could not read the '${blueprint.name}' user profile: the answer is larger than ` +
            `${MAX_PROFILE_BYTES} bytes (the connection is stored without a profile).`,
        );
        return undefined;
      }
      return profile(JSON.parse(text) as Record<string, unknown>);
    } catch (error) {
      this.logger.warn(
        `Could not read the '${blueprint.name}' user profile: ${describe(error)}`,
      );
      return undefined;
    }
  }
}

/** passport strategies wrap our token errors in InternalOAuthError; ours sits in `oauthError`. */
export function unwrapPassportError(error: unknown): unknown {
  const inner = (error as { oauthError?: unknown } | undefined)?.oauthError;
  return inner instanceof Error ? inner : error;
}

/** Dance answers are personal and carry one-time values: never cached, never referred. */
export function noStore(exchange: HttpExchange): void {
  exchange.setHeader('Cache-Control', 'no-store');
  exchange.setHeader('Referrer-Policy', 'no-referrer');
}

/** The longest error description a log line repeats (provider text can be any length). */
const MAX_DESCRIBED = 500;

/**
 * An error's class and redacted message only, capped: hooks', drivers' and providers'
 * messages may quote secrets, and a provider's `error_description` may be of any length.
 */
export function describe(error: unknown, secrets: string[] = []): string {
  if (!(error instanceof Error)) return 'unknown error';
  const text = redactText(`${error.name}: ${error.message}`, secrets);
  return text.length > MAX_DESCRIBED
    ? `${text.slice(0, MAX_DESCRIBED)}... (${text.length} characters)`
    : text;
}

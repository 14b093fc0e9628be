import { Logger } from '@nestjs/common';
import type { Blueprint } from '../blueprint/blueprint';
import type { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { storeDanceToken } from '../connections/dance-connection.util';
import { UserRequiredError } from '../errors/user-required.error';
import type { HttpExchange } from '../platform/http-edge.interface';
import { redactError, secretStringsOf } from '../redaction/redact.util';
import type { OAuthToken } from '../storage/oauth-token.interface';
import type { PassportRunActions } from './dance-passport.strategy';
import { describe } from './dance-finisher';
import type { OAuthEvents } from './oauth.events';

/** What finishing a dance for passport needs. */
export interface PassportFinish {
  blueprint: Blueprint;
  token: OAuthToken;
  profile: OAuthProfile | undefined;
  next: string | undefined;
  exchange: HttpExchange;
  run: PassportRunActions;
  /** The app's `validate(token, profile)`, through @nestjs/passport's verify callback. */
  verify: (token: OAuthToken, profile?: OAuthProfile) => Promise<unknown>;
  /** Whether passport was asked for a login session (`AuthGuard`'s `session` option). */
  session: boolean;
  events: OAuthEvents;
}

type LoginRequest = {
  login?: (
    user: unknown,
    options: Record<string, unknown>,
    done: (error?: unknown) => void,
  ) => void;
};

const logger = new Logger('nest-dance');

/**
 * The end of a dance run by `danceStrategy` under passport: `validate` picks the user; with a
 * login session `req.login` runs first (passport renews the session and calls the app's
 * `serializeUser`), so the token lands in the renewed session when the storage is the
 * session; then the token is stored for that user (or without owner, if the app allows it)
 * and passport hears `success(user)` or `pass()`.
 */
export async function finishForPassport(finish: PassportFinish): Promise<void> {
  const { blueprint, token, profile, exchange, run } = finish;
  let user: unknown;
  try {
    user = await finish.verify(token, profile);
  } catch (error) {
    return run.error(redactError(error, secretStringsOf(token)));
  }
  const signedIn = user !== null && user !== undefined && user !== false;
  const request = exchange.request as LoginRequest;
  if (signedIn && finish.session && typeof request.login === 'function') {
    try {
      await new Promise<void>((resolve, reject) =>
        request.login!(user, {}, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    } catch (error) {
      return run.error(error);
    }
  }
  try {
    await storeDanceToken(
      blueprint,
      token,
      profile,
      signedIn ? { user } : { userId: null },
      finish.events,
    );
  } catch (error) {
    if (error instanceof UserRequiredError) {
      return run.fail(
        {
          message: `validate() returned no user and ${blueprint.name} tokens need one: nothing was stored.`,
        },
        401,
      );
    }
    logger.error(
      `Storing the '${blueprint.name}' token failed: ${describe(error, secretStringsOf(token))}`,
    );
    return run.error(redactError(error, secretStringsOf(token)));
  }
  if (signedIn) return run.success(user, { next: finish.next });
  run.pass();
}

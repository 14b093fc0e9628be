import { Injectable } from '@nestjs/common';
import { OAuthUserContext } from '../context/oauth-user.context';
import { SessionUnavailableError } from '../errors/session-unavailable.error';
import { BaseTokenStorage } from './base-token.storage';
import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';

/** Where in the session the tokens live. */
export const SESSION_TOKENS_KEY = 'nestDanceTokens';

type TokenBag = Record<string, OAuthToken>;
type SessionLike = Record<string, unknown>;

/**
 * Keeps tokens in the browser's express-session session, keyed by provider and user, so a
 * different user signing in on the same browser never sees the previous user's token.
 * The default storage. Needs `express-session` middleware.
 * @publicApi
 */
@Injectable()
export class SessionTokenStorage extends BaseTokenStorage {
  constructor(private readonly context: OAuthUserContext) {
    super();
  }

  /** The token in the current session under `key`, or `null`. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const token = this.bag(false)?.[this.keyToString(key)];
    return token ? this.copy(token) : null;
  }

  /** Stores `token` in the current session under `key`. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    this.bag(true)![this.keyToString(key)] = this.copy(token);
  }

  /** Removes the token under `key` from the current session; a missing one is fine. */
  async delete(key: TokenKey): Promise<void> {
    const bag = this.bag(false);
    if (bag) delete bag[this.keyToString(key)];
  }

  private bag(create: boolean): TokenBag | undefined {
    const request = this.context.request;
    if (!request) throw new SessionUnavailableError('no-request');
    const session = (request as unknown as { session?: SessionLike }).session;
    if (!session) throw new SessionUnavailableError('no-session');
    if (create && !session[SESSION_TOKENS_KEY])
      session[SESSION_TOKENS_KEY] = {};
    return session[SESSION_TOKENS_KEY] as TokenBag | undefined;
  }
}

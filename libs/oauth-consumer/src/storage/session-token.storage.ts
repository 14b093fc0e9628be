import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { OAuthUserContext } from '../context/oauth-user.context';
import { SessionUnavailableError } from '../errors/session-unavailable.error';
import { TokenStorageError } from '../errors/token-storage.error';
import { BaseTokenStorage } from './base-token.storage';
import { OAuthToken } from './oauth-token.interface';
import { TokenKey } from './token-key.interface';
import { parseTokenKey } from './token-key.util';
import { StoredToken, TokenListQuery } from './token-list.interface';
import { matchesListQuery } from './token-list.util';

/** Where in the session the tokens live. */
export const SESSION_TOKENS_KEY = 'nestDanceTokens';

/** Where a cookie-only session (which has no id of its own) keeps the id refreshes are merged by. */
const SESSION_ID_KEY = 'nestDanceSessionId';

/**
 * The most a cookie-only session (e.g. `cookie-session`) may weigh once encoded, in bytes:
 * browsers drop cookies over 4096 bytes silently, and the name and attributes need room.
 * @publicApi
 */
export const COOKIE_SESSION_MAX_BYTES = 3584;

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
  private readonly logger = new Logger(SessionTokenStorage.name);
  private warnedCookieOnly = false;

  constructor(private readonly context: OAuthUserContext) {
    super();
  }

  /** The token in the current session under `key`, or `null`. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const token = this.bag(false)?.[this.keyToString(key)];
    return token ? this.copy(token) : null;
  }

  /**
   * Stores `token` in the current session under `key`. In a cookie-only session, refuses
   * (`TokenStorageError`) a token that would push the cookie past `COOKIE_SESSION_MAX_BYTES`
   * rather than let the browser drop it.
   */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    const bag = this.bag(true)!;
    const name = this.keyToString(key);
    const previous = bag[name];
    bag[name] = this.copy(token);
    const session = this.cookieOnlySession();
    if (!session) return;
    const size = encodedSize(session);
    if (size <= COOKIE_SESSION_MAX_BYTES) return;
    if (previous === undefined) delete bag[name];
    else bag[name] = previous;
    throw new TokenStorageError(
      'set',
      key.provider,
      `it would make the cookie-only session ${size} bytes, over the ${COOKIE_SESSION_MAX_BYTES} ` +
        'a browser cookie can carry (browsers drop larger cookies silently). Keep tokens on the ' +
        'server: use express-session with a store (e.g. connect-redis) or a database storage such ' +
        'as TypeOrmTokenStorage; requesting fewer scopes also makes tokens smaller.',
    );
  }

  /**
   * `key` in the current session: the key and a hash of the session's id (express-session's
   * `req.sessionID`; a random id kept in the session when it lives in a cookie), so two
   * browsers refreshing "the same" anonymous key are never merged, and no session id ends up
   * in a lock name.
   */
  override identityOf(key: TokenKey): string {
    const session = this.session();
    const request = this.context.request as unknown as { sessionID?: unknown };
    let id = [request.sessionID, session.id, session.sessionId].find(
      (candidate): candidate is string =>
        typeof candidate === 'string' && candidate !== '',
    );
    if (id === undefined) {
      const kept = session[SESSION_ID_KEY];
      id = typeof kept === 'string' ? kept : randomUUID();
      if (kept !== id) session[SESSION_ID_KEY] = id;
    }
    const hashed = createHash('sha256')
      .update('nest-dance session\0')
      .update(id)
      .digest('base64url')
      .slice(0, 22);
    return `${this.keyToString(key)}|s:${hashed}`;
  }

  /** Removes the token under `key` from the current session; a missing one is fine. */
  async delete(key: TokenKey): Promise<void> {
    const bag = this.bag(false);
    if (bag) delete bag[this.keyToString(key)];
  }

  /**
   * The tokens of `query.userId` in the current session (of `query.provider`, when given).
   * A session holds one browser's tokens only; `listExpiring` is not offered, since no
   * process can see every session.
   */
  override async list(query: TokenListQuery): Promise<StoredToken[]> {
    const found: StoredToken[] = [];
    for (const [name, token] of Object.entries(this.bag(false) ?? {})) {
      const key = parseTokenKey(name);
      if (key && matchesListQuery(key, query))
        found.push({ key, token: this.copy(token) });
    }
    return found;
  }

  private bag(create: boolean): TokenBag | undefined {
    const session = this.session();
    if (isCookieOnly(this.context.request!)) this.warnCookieOnly();
    if (create && !session[SESSION_TOKENS_KEY])
      session[SESSION_TOKENS_KEY] = {};
    return session[SESSION_TOKENS_KEY] as TokenBag | undefined;
  }

  /** The current request's session; throws `SessionUnavailableError` when there is none. */
  private session(): SessionLike {
    const request = this.context.request;
    if (!request) throw new SessionUnavailableError('no-request');
    const session = (request as unknown as { session?: SessionLike }).session;
    if (!session) throw new SessionUnavailableError('no-session');
    return session;
  }

  /** The session when it lives in the cookie itself (no `req.sessionStore`), else undefined. */
  private cookieOnlySession(): SessionLike | undefined {
    const request = this.context.request;
    if (!request || !isCookieOnly(request)) return undefined;
    return (request as unknown as { session?: SessionLike }).session;
  }

  private warnCookieOnly(): void {
    if (this.warnedCookieOnly) return;
    this.warnedCookieOnly = true;
    this.logger.warn(
      'OAuth tokens are kept in a cookie-only session (req.session without req.sessionStore, e.g. ' +
        'cookie-session): every browser carries its tokens in its cookie, readable by whoever gets ' +
        'the cookie unless OAuthConsumerModule.forRoot({ encryption }) is on, impossible to revoke ' +
        `server-side, and limited to ${COOKIE_SESSION_MAX_BYTES} bytes (larger tokens are refused). ` +
        'Prefer express-session with a server-side store, or a database storage such as TypeOrmTokenStorage.',
    );
  }
}

/** express-session sets `req.sessionStore`; cookie-only session middleware does not. */
function isCookieOnly(request: object): boolean {
  const candidate = request as { session?: unknown; sessionStore?: unknown };
  return (
    typeof candidate.session === 'object' &&
    candidate.session !== null &&
    candidate.sessionStore === undefined
  );
}

/** The size of the session as cookie-session encodes it: base64 of its JSON. */
function encodedSize(session: SessionLike): number {
  return Math.ceil(Buffer.byteLength(JSON.stringify(session)) / 3) * 4;
}

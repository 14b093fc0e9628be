import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { OAuthUserContext } from '../context/oauth-user.context';
import { EdgeSession } from '../platform/http-edge.interface';
import { edgeOf } from '../platform/http-platform.service';
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

/**
 * Keeps tokens in the browser's session, keyed by provider and user, so a different user
 * signing in on the same browser never sees the previous user's token. The default storage.
 * Needs a session: express-session (or cookie-session) on Express, `@fastify/session` (or
 * `@fastify/secure-session`) on Fastify; the server-side ones keep tokens off the browser.
 * @publicApi
 */
@Injectable()
export class SessionTokenStorage extends BaseTokenStorage {
  /** Each browser session has its own tokens: a visitor needs no user. */
  override readonly perSession = true;
  private readonly logger = new Logger(SessionTokenStorage.name);
  private warnedCookieOnly = false;

  constructor(private readonly context: OAuthUserContext) {
    super();
  }

  /** The token in the current session under `key`, or `null`. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const token = this.bag(this.session())?.[this.keyToString(key)];
    return token ? this.copy(token) : null;
  }

  /**
   * Stores `token` in the current session under `key`. In a cookie-only session, refuses
   * (`TokenStorageError`) a token that would push the cookie past `COOKIE_SESSION_MAX_BYTES`
   * rather than let the browser drop it.
   */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    const session = this.session();
    const bag = { ...this.bag(session) };
    bag[this.keyToString(key)] = this.copy(token);
    const size =
      session.kind === 'cookie'
        ? encodedSize({ ...session.entries(), [SESSION_TOKENS_KEY]: bag })
        : 0;
    if (size <= COOKIE_SESSION_MAX_BYTES) {
      session.set(SESSION_TOKENS_KEY, bag);
      return;
    }
    throw new TokenStorageError(
      'set',
      key.provider,
      `it would make the cookie-only session ${size} bytes, over the ${COOKIE_SESSION_MAX_BYTES} ` +
        'a browser cookie can carry (browsers drop larger cookies silently). Keep tokens on the ' +
        'server: use express-session with a store (e.g. connect-redis), @fastify/session with a store, ' +
        'or a database storage such as TypeOrmTokenStorage; requesting fewer scopes also makes tokens smaller.',
    );
  }

  /**
   * `key` in the current session: the key and a hash of the session's id (express-session's
   * `req.sessionID`, @fastify/session's `sessionId`; a random id kept in the session when it
   * lives in a cookie), so two
   * browsers refreshing "the same" anonymous key are never merged, and no session id ends up
   * in a lock name.
   */
  override identityOf(key: TokenKey): string {
    const session = this.session();
    let id = session.id;
    if (id === undefined) {
      const kept = session.get(SESSION_ID_KEY);
      id = typeof kept === 'string' && kept !== '' ? kept : randomUUID();
      if (kept !== id) session.set(SESSION_ID_KEY, id);
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
    const session = this.session();
    const name = this.keyToString(key);
    const bag = this.bag(session);
    if (!bag || !Object.prototype.hasOwnProperty.call(bag, name)) return;
    const rest = { ...bag };
    delete rest[name];
    session.set(SESSION_TOKENS_KEY, rest);
  }

  /**
   * The tokens of `query.userId` in the current session (of `query.provider`, when given).
   * A session holds one browser's tokens only; `listExpiring` is not offered, since no
   * process can see every session.
   */
  override async list(query: TokenListQuery): Promise<StoredToken[]> {
    const found: StoredToken[] = [];
    for (const [name, token] of Object.entries(
      this.bag(this.session()) ?? {},
    )) {
      const key = parseTokenKey(name);
      if (key && matchesListQuery(key, query))
        found.push({ key, token: this.copy(token) });
    }
    return found;
  }

  private bag(session: EdgeSession): TokenBag | undefined {
    if (session.kind === 'cookie') this.warnCookieOnly();
    return session.get<TokenBag>(SESSION_TOKENS_KEY);
  }

  /** The current request's session; throws `SessionUnavailableError` when there is none. */
  private session(): EdgeSession {
    const request = this.context.request;
    if (!request) throw new SessionUnavailableError('no-request');
    const session = edgeOf(request).session(request);
    if (!session) throw new SessionUnavailableError('no-session');
    return session;
  }

  private warnCookieOnly(): void {
    if (this.warnedCookieOnly) return;
    this.warnedCookieOnly = true;
    this.logger.warn(
      'OAuth tokens are kept in a cookie-only session (cookie-session, @fastify/secure-session): every browser carries its tokens in its cookie, readable by whoever gets ' +
        'the cookie unless OAuthConsumerModule.forRoot({ encryption }) is on, impossible to revoke ' +
        `server-side, and limited to ${COOKIE_SESSION_MAX_BYTES} bytes (larger tokens are refused). ` +
        'Prefer express-session with a server-side store (on Fastify @fastify/session), or a database ' +
        'storage such as TypeOrmTokenStorage.',
    );
  }
}

/** The size of the session as cookie-session encodes it: base64 of its JSON. */
function encodedSize(session: Record<string, unknown>): number {
  return Math.ceil(Buffer.byteLength(JSON.stringify(session)) / 3) * 4;
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EdgeSession, HttpExchange } from '../platform/http-edge.interface';
import {
  exchangeOfPassportRequest,
  isHttpExchange,
} from '../platform/passport-request.util';
import { StateSealer } from './state-sealer.util';

/** What the login route remembers for the callback: bound to the browser and used once. */
export interface DanceStateRecord {
  /** The blueprint the state was made for (mix-up defence, RFC 9700 §4.4). */
  blueprint: string;
  state: string;
  /** The PKCE code verifier, when PKCE is on. */
  verifier?: string;
  /** OAuth 1.0a: the request token secret (the request token itself is `state`). */
  secret?: string;
  /** Where to go after the dance (already checked to be a same-origin path). */
  next?: string;
  /** The OpenID Connect `nonce` sent with the authorization request (the ID token must carry it). */
  nonce?: string;
  createdAt: number;
  /**
   * Who started the dance: the resolved user id, or `null` when signed out. The callback must
   * come from the same owner, so a dance planted in another browser cannot finish there.
   */
  owner?: string | null;
}

/** Why a callback's state was refused. */
export type StateRefusal =
  | 'missing'
  | 'unknown'
  | 'other-blueprint'
  | 'expired'
  | 'no-verifier'
  | 'other-user';

/** How the state store keeps records when the app has no session. */
export interface DanceStateStoreConfig {
  /** Seals the state cookie (created lazily so apps with sessions never need a secret). */
  sealer: () => StateSealer;
  /** The cookie path over http: the blueprint's routes only (over https `__Host-` needs `/`). */
  cookiePath: string;
  /**
   * Send the cookie over HTTPS only (when the public URL is https); it is then named
   * `__Host-...`, with `Path=/` and no `Domain`, so no other host (a sibling subdomain) can set it.
   */
  secure: boolean;
  /** How long a dance may take, in milliseconds. */
  ttlMs: number;
  /** Whether a PKCE verifier must be present. */
  pkce: boolean;
  /** The current owner (user id, `null` when signed out); may throw when the app's user has no id. */
  owner: () => string | null;
}

const SESSION_KEY = 'nestDanceStates';
const MAX_PENDING_PER_SESSION = 10;
const MAX_STATE_LENGTH = 512;

type PassportStoreCallback = (error: Error | null, state?: string) => void;
type PassportVerifyCallback = (
  error: Error | null,
  ok: string | boolean,
  info: DanceStateRecord | { message: string; refusal: StateRefusal },
) => void;

/**
 * passport-oauth2 state store for one blueprint: 256-bit one-time states with the PKCE
 * verifier, kept in the session when there is one (express-session, @fastify/session...), else in a sealed, HttpOnly,
 * SameSite=Lax cookie scoped to the blueprint's routes.
 */
export class DanceStateStore {
  /** Records verified on a callback, for the code exchange that follows (its nonce). */
  private readonly verified = new WeakMap<HttpExchange, DanceStateRecord>();

  /** Records a callback claimed before running the strategy (see `claim`). */
  private readonly claimed = new WeakMap<HttpExchange, DanceStateRecord>();

  constructor(
    private readonly blueprintName: string,
    private readonly config: DanceStateStoreConfig,
  ) {}

  /** The same store for routes under another path (a `danceStrategy` on the app's routes). */
  forCookiePath(cookiePath: string): DanceStateStore {
    return new DanceStateStore(this.blueprintName, {
      ...this.config,
      cookiePath,
    });
  }

  private get cookieName(): string {
    const name = `nest-dance.state.${this.blueprintName}`;
    return this.config.secure ? `__Host-${name}` : name;
  }

  /** The state cookie's attributes (HttpOnly always); SameSite=Lax so the provider's redirect brings it. */
  private get cookieOptions() {
    return {
      sameSite: 'lax' as const,
      secure: this.config.secure,
      path: this.cookiePath,
    };
  }

  /** `__Host-` cookies must have `Path=/`; over http the blueprint's routes are enough. */
  private get cookiePath(): string {
    return this.config.secure ? '/' : this.config.cookiePath;
  }

  /** passport-oauth2 calls this on the login route (arity 5: with the PKCE verifier). */
  store(
    request: DanceRequest,
    verifier: string | undefined,
    options: unknown,
    _meta: unknown,
    callback: PassportStoreCallback,
  ): void {
    try {
      const state = randomBytes(32).toString('base64url');
      const { next, nonce } =
        (options as { next?: string; nonce?: string } | undefined) ?? {};
      const record: DanceStateRecord = {
        blueprint: this.blueprintName,
        state,
        verifier,
        next,
        createdAt: Date.now(),
      };
      if (nonce) record.nonce = nonce;
      this.save(request, record);
      callback(null, state);
    } catch (error) {
      callback(error as Error);
    }
  }

  /** passport-oauth2 calls this on the callback route (arity 4). */
  verify(
    request: DanceRequest,
    providedState: unknown,
    _meta: unknown,
    callback: PassportVerifyCallback,
  ): void {
    const result = this.consume(request, providedState);
    if ('refusal' in result) {
      callback(null, false, {
        message: refusalMessage(result.refusal),
        refusal: result.refusal,
      });
      return;
    }
    const { record } = result;
    if (this.config.pkce && !record.verifier) {
      callback(null, false, {
        message: refusalMessage('no-verifier'),
        refusal: 'no-verifier',
      });
      return;
    }
    this.verified.set(exchangeOf(request), record);
    callback(null, this.config.pkce ? record.verifier! : true, record);
  }

  /** The record a callback's state matched, once `verify` accepted it. */
  verifiedRecordOf(request: DanceRequest): DanceStateRecord | undefined {
    return this.verified.get(exchangeOf(request));
  }

  /**
   * Checks the callback's state before anything else happens: takes its record (as
   * `consume`) and keeps it for the rest of this request, so the strategy's own check
   * (`verify`, the OAuth 1.0a store) gets the same record instead of finding it spent.
   */
  claim(
    request: DanceRequest,
    providedState: unknown,
  ): { record: DanceStateRecord } | { refusal: StateRefusal } {
    const result = this.consume(request, providedState);
    if ('record' in result)
      this.claimed.set(exchangeOf(request), result.record);
    return result;
  }

  /**
   * Finds and removes the record of `providedState` (one use only, whatever happens next).
   * A state that matches nothing changes nothing: no cookie is cleared, so a forged callback
   * cannot abort the browser's real dance.
   */
  consume(
    request: DanceRequest,
    providedState: unknown,
  ): { record: DanceStateRecord } | { refusal: StateRefusal } {
    const claimed = this.claimed.get(exchangeOf(request));
    if (claimed && claimed.state === providedState) {
      this.claimed.delete(exchangeOf(request));
      return { record: claimed };
    }
    if (
      typeof providedState !== 'string' ||
      !providedState ||
      providedState.length > MAX_STATE_LENGTH
    ) {
      return { refusal: 'missing' };
    }
    const record =
      this.takeFromSession(request, providedState) ??
      this.takeFromCookie(request, providedState);
    if (!record) return { refusal: 'unknown' };
    if (record.blueprint !== this.blueprintName)
      return { refusal: 'other-blueprint' };
    if (Date.now() - record.createdAt > this.config.ttlMs)
      return { refusal: 'expired' };
    if (!this.ownedByCurrentUser(record)) return { refusal: 'other-user' };
    return { record };
  }

  /** Remembers `record` for this browser: in the session, else in the sealed cookie. */
  save(request: DanceRequest, record: DanceStateRecord): void {
    record = { ...record, owner: this.config.owner() };
    const exchange = exchangeOf(request);
    const session = exchange.session();
    if (session) {
      const pending = pendingRecordsOf(session);
      pending.push(record);
      // Set again: cookie sessions (@fastify/secure-session) save only what is set.
      session.set(SESSION_KEY, pending.slice(-MAX_PENDING_PER_SESSION));
      return;
    }
    exchange.setCookie(
      this.cookieName,
      this.config.sealer().seal(record, this.cookieName),
      { ...this.cookieOptions, maxAgeMs: this.config.ttlMs },
    );
  }

  private ownedByCurrentUser(record: DanceStateRecord): boolean {
    try {
      return (record.owner ?? null) === this.config.owner();
    } catch {
      return false;
    }
  }

  private takeFromSession(
    request: DanceRequest,
    state: string,
  ): DanceStateRecord | undefined {
    const session = exchangeOf(request).session();
    if (!session) return undefined;
    const pending = pendingRecordsOf(session);
    const index = pending.findIndex((record) => record.state === state);
    if (index < 0) return undefined;
    const [record] = pending.splice(index, 1);
    // No dance pending: nothing left in the session.
    if (pending.length) session.set(SESSION_KEY, pending);
    else session.delete(SESSION_KEY);
    return record;
  }

  private takeFromCookie(
    request: DanceRequest,
    state: string,
  ): DanceStateRecord | undefined {
    const sealed = exchangeOf(request).cookie(this.cookieName);
    if (!sealed) return undefined;
    const record = this.config
      .sealer()
      .open<DanceStateRecord>(sealed, this.cookieName);
    if (!record || typeof record.state !== 'string') return undefined;
    const expected = Buffer.from(record.state);
    const given = Buffer.from(state);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return undefined;
    // Spent only by the callback that carries its state.
    this.clearCookie(request);
    return record;
  }

  private clearCookie(request: DanceRequest): void {
    if (!exchangeOf(request).cookie(this.cookieName)) return;
    exchangeOf(request).clearCookie(this.cookieName, this.cookieOptions);
  }
}

/**
 * The session's pending dances, oldest first. A list, not an object keyed by state: each
 * state is a new random name, and adding a property of a new name to an object costs V8 a
 * new hidden class (about 10 µs per login here). Sessions written by earlier versions (an
 * object keyed by state) are read too.
 */
function pendingRecordsOf(session: EdgeSession): DanceStateRecord[] {
  const stored = session.get<unknown>(SESSION_KEY);
  const list = Array.isArray(stored)
    ? stored
    : stored && typeof stored === 'object'
      ? Object.values(stored)
      : [];
  return list.filter(
    (record): record is DanceStateRecord =>
      !!record &&
      typeof record === 'object' &&
      typeof (record as DanceStateRecord).state === 'string',
  );
}

/**
 * What the store is handed: the exchange (the dance's own calls) or the request a passport
 * strategy was run against (its `store`/`verify` calls), which carries its exchange.
 */
export type DanceRequest = HttpExchange | object;

/** The exchange of what a state store is handed (for stores that extend this one). */
export function exchangeOfDanceRequest(request: DanceRequest): HttpExchange {
  return exchangeOf(request);
}

function exchangeOf(request: DanceRequest): HttpExchange {
  if (isHttpExchange(request)) return request;
  const exchange = exchangeOfPassportRequest(request);
  if (!exchange)
    throw new TypeError(
      'The dance state store was handed a request without its exchange (run strategies with runStrategy).',
    );
  return exchange;
}

/** Why a state was refused, for the error page. */
export function refusalMessage(refusal: StateRefusal): string {
  switch (refusal) {
    case 'missing':
      return 'The provider sent no OAuth state.';
    case 'unknown':
      return 'This OAuth state is unknown, already used, or from another browser.';
    case 'other-blueprint':
      return 'This OAuth state was made for another provider.';
    case 'expired':
      return 'This OAuth state has expired.';
    case 'no-verifier':
      return 'The PKCE code verifier of this login is missing.';
    case 'other-user':
      return 'This login was started by another user, or before signing in or out.';
  }
}

import type { DanceRequest } from '../dance/dance-state.store';
import {
  DanceStateRecord,
  DanceStateStore,
  StateRefusal,
} from '../dance/dance-state.store';
import { TokenEndpointError } from '../errors/token-endpoint.error';

/** Longest request token accepted back at the callback (real ones are far shorter). */
export const MAX_REQUEST_TOKEN_LENGTH = 512;

type Done = (error: Error | null) => void;
type Loaded = (
  error: Error | null,
  secret?: string | false,
  state?: DanceStateRecord | { message: string },
) => void;

/**
 * passport-oauth1's request token store for one blueprint: the request token secret is kept
 * with the dance state machinery (express-session when there is one, else a sealed,
 * HttpOnly, SameSite=Lax cookie scoped to the blueprint's routes), bound to the browser,
 * expiring with the dance, and taken on first read so a request token works once.
 */
export class OAuth1RequestTokenStore {
  constructor(
    private readonly blueprintName: string,
    private readonly store: DanceStateStore,
  ) {}

  /** Remembers the request token and its secret (passport-oauth1, arity 6). */
  set(
    request: DanceRequest,
    token: string,
    secret: string,
    state: { next?: string } | undefined,
    _meta: unknown,
    done: Done,
  ): void {
    if (
      typeof token !== 'string' ||
      !token ||
      token.length > MAX_REQUEST_TOKEN_LENGTH ||
      token === '__proto__' ||
      typeof secret !== 'string'
    ) {
      done(
        new TokenEndpointError(
          this.blueprintName,
          'invalid-response',
          'the request token answer has no usable oauth_token and oauth_token_secret',
        ),
      );
      return;
    }
    try {
      this.store.save(request, {
        blueprint: this.blueprintName,
        state: token,
        secret,
        next: state?.next,
        createdAt: Date.now(),
      });
      done(null);
    } catch (error) {
      done(error as Error);
    }
  }

  /**
   * Takes the secret of the request token the provider sent back (passport-oauth1, arity 4):
   * a token this browser was not given, given for another blueprint, expired or already
   * used yields no secret, which passport-oauth1 turns into a 403 failure.
   */
  get(
    request: DanceRequest,
    token: unknown,
    _meta: unknown,
    loaded: Loaded,
  ): void {
    const message = this.take(request, token);
    if (typeof message === 'string') {
      loaded(null, false, { message });
      return;
    }
    loaded(null, message.secret, message);
  }

  /** Already removed when read (passport-oauth1 calls this after the access token request). */
  destroy(
    _request: DanceRequest,
    _token: unknown,
    _meta: unknown,
    done: Done,
  ): void {
    done(null);
  }

  /**
   * Checks the request token of a callback before anything else happens, and keeps its
   * record for the strategy's own check later in this request (see `DanceStateStore.claim`).
   * Returns the record, or why there is none (then nothing changed).
   */
  claim(
    request: DanceRequest,
    token: unknown,
  ): (DanceStateRecord & { secret: string }) | string {
    return this.recordOf(this.store.claim(request, token));
  }

  /**
   * Removes the record of `token` and returns it, or why there is none (a token that
   * matches nothing changes nothing).
   */
  take(
    request: DanceRequest,
    token: unknown,
  ): (DanceStateRecord & { secret: string }) | string {
    return this.recordOf(this.store.consume(request, token));
  }

  private recordOf(
    result: { record: DanceStateRecord } | { refusal: StateRefusal },
  ): (DanceStateRecord & { secret: string }) | string {
    if ('refusal' in result) {
      switch (result.refusal) {
        case 'missing':
          return 'The provider sent no request token (oauth_token).';
        case 'expired':
          return 'This request token has expired.';
        case 'other-blueprint':
          return 'This request token was made for another provider.';
        case 'other-user':
          return 'This login was started by another user, or before signing in or out.';
        default:
          return 'This request token is unknown, already used, or from another browser.';
      }
    }
    const { record } = result;
    if (typeof record.secret !== 'string') {
      return 'This request token is unknown, already used, or from another browser.';
    }
    return record as DanceStateRecord & { secret: string };
  }
}

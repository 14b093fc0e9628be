import { OAuthUserContext } from '../context/oauth-user.context';
import type { HeldTokenLock } from './held-token-lock.interface';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Blueprint } from '../blueprint/blueprint';
import type { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { RefreshDueOptions, RefreshDueResult } from './refresh-due.interface';
import { sweepDueTokens } from './refresh-sweep.util';
import { OAuthEvents } from '../dance/oauth.events';
import type {
  ConnectionEvent,
  ConnectionEventType,
} from '../dance/oauth-hooks.interface';
import { redactText } from '../redaction/redact.util';
import { RefreshLockTimeoutError } from '../errors/refresh-lock-timeout.error';
import { TokenEndpointError } from '../errors/token-endpoint.error';
import { TokenRefreshError } from '../errors/token-refresh.error';
import { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import { OAUTH_CONSUMER_OPTIONS } from '../oauth-consumer.module-definition';
import { OAuthToken } from '../storage/oauth-token.interface';
import { TokenKey } from '../storage/token-key.interface';
import { readFresh } from '../storage/fresh-read.util';
import { tokenIdentityOf } from '../storage/token-identity.util';
import { withExpiresAt } from '../storage/token-expiry.util';
import {
  RECONNECT_MARK,
  connectionRecordOf,
  scopesOf,
  withConnectionRecord,
} from '../storage/token-connection.util';
import { REFRESH_LOCK } from './refresh-lock.constants';
import { RefreshLease, RefreshLock } from './refresh-lock.interface';
import { RefreshOptions } from './refresh-options.interface';
import { DEFAULT_LIMITS } from '../protocol/http-transport.util';

const DEFAULTS: Required<RefreshOptions> = {
  enabled: true,
  marginSeconds: 60,
  lockTtlMs: 30_000,
  lockWaitMs: 15_000,
  maxBackoffMs: 60_000,
  onDeadGrant: 'keep',
  background: false,
};

export { RECONNECT_MARK } from '../storage/token-connection.util';

/**
 * What a refresh gave: the token to use, and whether this process refreshed it (false when
 * another process or request already had, and its token was read back).
 * @publicApi
 */
export interface RefreshOutcome {
  token: OAuthToken;
  refreshedHere: boolean;
}

interface Backoff {
  until: number;
  delayMs: number;
}

/** The most identities backed off at once (each is one stored token, maybe one session's). */
const MAX_BACKOFFS = 10_000;

/**
 * Refreshes tokens safely: one refresh per token in this process (single flight), one across
 * processes (the bound `RefreshLock`), re-reading the token once the lock is won and skipping
 * the refresh when another process already did it; the old refresh token is kept when the
 * response has none; dead grants ask for a reconnect; 5xx/429/timeouts back off.
 * @publicApi
 */
@Injectable()
export class TokenRefresher {
  private readonly logger = new Logger('nest-dance');
  private readonly settings: Required<RefreshOptions>;
  private readonly inFlight = new Map<string, Promise<RefreshOutcome>>();
  private readonly backoffs = new Map<string, Backoff>();
  private registry?: BlueprintRegistry;

  constructor(
    @Inject(OAUTH_CONSUMER_OPTIONS)
    private readonly options: OAuthConsumerModuleOptions,
    @Inject(REFRESH_LOCK) private readonly lock: RefreshLock,
    private readonly events: OAuthEvents,
    /** Keeps the token locks the current async context holds (a refresh, a write), for re-entry. */
    private readonly context: OAuthUserContext,
  ) {
    this.settings = { ...DEFAULTS, ...options.refresh };
    assertLockOutlivesRequest(
      this.settings.lockTtlMs,
      options.tokenEndpoint?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
    );
  }

  /**
   * Internal: the blueprints a background sweep goes through (set by the module once built).
   */
  attachRegistry(registry: BlueprintRegistry): void {
    this.registry = registry;
  }

  /**
   * One background sweep: refreshes every stored token (of every owner, in every blueprint's
   * storage) that expires within `within` ms, at most `limit`, soonest first, through the same
   * single flight and cross-process lock as refresh on use, re-reading each token once its lock
   * is won, so a token refreshed meanwhile is not refreshed again. One sweep at a time across
   * processes: while another holds the sweep lock this resolves with `swept: false`. Needs
   * storages with `listExpiring` (memory, TypeORM, custom); failures are reported as on use.
   */
  refreshDue(options: RefreshDueOptions = {}): Promise<RefreshDueResult> {
    if (!this.registry) {
      return Promise.reject(
        new InvalidOptionsError(
          'TokenRefresher.refreshDue() runs once OAuthConsumerModule has started (await app.init()).',
        ),
      );
    }
    return sweepDueTokens(
      this,
      this.registry,
      this.lock,
      this.settings.lockTtlMs,
      options,
      this.logger,
    );
  }

  /**
   * Refreshes `token` under its lock unless, once the lock is won, the stored token no longer
   * expires before `before` (epoch seconds): what a sweep does for each due token.
   */
  refreshExpiring(
    blueprint: Blueprint,
    key: TokenKey,
    token: OAuthToken,
    before: number,
  ): Promise<RefreshOutcome> {
    return this.refresh(blueprint, key, token, false, before);
  }

  /** Whether `getToken()` and `fetch()` refresh on their own. */
  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Whether `token` can be refreshed by `blueprint` at all. */
  canRefresh(blueprint: Blueprint, token: OAuthToken): boolean {
    return (
      typeof token.refresh_token === 'string' &&
      blueprint.options.refreshUrl !== false
    );
  }

  /** Whether `token` is within the refresh margin of its expiry (never for tokens without expiry). */
  isDue(token: OAuthToken, nowMs: number = Date.now()): boolean {
    if (typeof token.expires_at !== 'number') return false;
    const lifetime =
      typeof token.expires_in === 'number' ? token.expires_in : Infinity;
    const margin = Math.min(this.settings.marginSeconds, lifetime / 2);
    return nowMs / 1000 >= token.expires_at - margin;
  }

  /** Whether `token` has expired for good (not merely within the margin). */
  isExpired(token: OAuthToken, nowMs: number = Date.now()): boolean {
    return (
      typeof token.expires_at === 'number' && nowMs / 1000 >= token.expires_at
    );
  }

  /**
   * Returns `token`, refreshed first when it is due. A failed early refresh still returns
   * the old token while it has not expired.
   */
  async refreshIfDue(
    blueprint: Blueprint,
    key: TokenKey,
    token: OAuthToken,
  ): Promise<OAuthToken> {
    if (!this.isDue(token) || !this.canRefresh(blueprint, token)) return token;
    try {
      return (await this.refresh(blueprint, key, token, false)).token;
    } catch (error) {
      if (
        error instanceof TokenRefreshError &&
        !error.needsReconnect &&
        !this.isExpired(token)
      ) {
        return token;
      }
      throw error;
    }
  }

  /**
   * Refreshes now, unless the stored token already differs from `stale` (someone else
   * refreshed it, and theirs is returned): used when the provider's API answered 401.
   */
  forceRefresh(
    blueprint: Blueprint,
    key: TokenKey,
    stale: OAuthToken,
  ): Promise<RefreshOutcome> {
    if (!this.canRefresh(blueprint, stale)) {
      return Promise.reject(
        new TokenRefreshError(
          blueprint.name,
          'not-refreshable',
          'the token has no refresh token: connect again.',
        ),
      );
    }
    return this.refresh(blueprint, key, stale, true);
  }

  /**
   * Runs `write` (a dance storing its token, a disconnect, `setToken`) holding the refresh lock
   * of `key`'s token, in this process and across processes: a write can never land while a
   * refresh is between reading the old token and storing the new one (which would undo the
   * write), and a refresh that starts later reads what it wrote. Re-entrant: hooks and event
   * listeners called during a refresh write without waiting for themselves. Throws
   * `RefreshLockTimeoutError` when a refresh holds the lock past `lockWaitMs`.
   */
  async exclusive<T>(
    blueprint: Blueprint,
    key: TokenKey,
    write: () => Promise<T>,
  ): Promise<T> {
    const id = tokenIdentityOf(blueprint.storage, key);
    if (this.context.heldLocks?.get(id)?.held) return write();
    const lease = await this.lock.acquire(id, {
      ttlMs: this.settings.lockTtlMs,
      waitMs: this.settings.lockWaitMs,
    });
    return this.whileHolding(id, lease, write);
  }

  /** Runs `work` as the holder of lock `id`, then releases the lease. */
  private async whileHolding<T>(
    id: string,
    lease: RefreshLease,
    work: () => Promise<T>,
  ): Promise<T> {
    const held: HeldTokenLock = { held: true };
    const locks = new Map(this.context.heldLocks).set(id, held);
    try {
      return await this.context.runHoldingLocks(locks, work);
    } finally {
      held.held = false;
      await lease
        .release()
        .catch((error: Error) =>
          this.logger.warn(`Releasing a refresh lock failed: ${error.message}`),
        );
    }
  }

  private refresh(
    blueprint: Blueprint,
    key: TokenKey,
    stale: OAuthToken,
    force: boolean,
    dueBefore?: number,
  ): Promise<RefreshOutcome> {
    // Per stored token, not per key: per-session storages hold one key in every session.
    const id = tokenIdentityOf(blueprint.storage, key);
    let flight = this.inFlight.get(id);
    if (!flight) {
      flight = this.refreshUnderLock(
        blueprint,
        key,
        id,
        stale,
        force,
        dueBefore,
      ).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, flight);
    }
    return flight;
  }

  private async refreshUnderLock(
    blueprint: Blueprint,
    key: TokenKey,
    id: string,
    stale: OAuthToken,
    force: boolean,
    dueBefore?: number,
  ): Promise<RefreshOutcome> {
    const due = (token: OAuthToken) =>
      dueBefore === undefined
        ? this.isDue(token)
        : typeof token.expires_at === 'number' && token.expires_at < dueBefore;
    const backoff = this.backoffs.get(id);
    if (backoff && backoff.until > Date.now()) {
      throw new TokenRefreshError(
        blueprint.name,
        'unavailable',
        `the provider failed recently; next try in ${backoff.until - Date.now()} ms.`,
        backoff.until - Date.now(),
      );
    }
    let lease: RefreshLease;
    try {
      lease = await this.lock.acquire(id, {
        ttlMs: this.settings.lockTtlMs,
        waitMs: this.settings.lockWaitMs,
      });
    } catch (error) {
      if (error instanceof RefreshLockTimeoutError) {
        throw new TokenRefreshError(
          blueprint.name,
          'lock-timeout',
          error.message,
          undefined,
          error,
        );
      }
      throw error;
    }
    // Writes of this token (dances, disconnects) wait for the lock too: whatever was written
    // before is read here, and nothing written after is overwritten by this refresh.
    return this.whileHolding(id, lease, async () => {
      const current = await readFresh(blueprint.storage, key);
      if (!current) {
        throw new TokenRefreshError(
          blueprint.name,
          'not-refreshable',
          'the token was deleted: connect again.',
        );
      }
      const refreshedElsewhere = current.access_token !== stale.access_token;
      const unchanged = { token: current, refreshedHere: false };
      if (refreshedElsewhere && !due(current)) return unchanged;
      if (!force && !due(current)) return unchanged;
      return this.exchange(blueprint, key, id, current);
    });
  }

  private async exchange(
    blueprint: Blueprint,
    key: TokenKey,
    id: string,
    current: OAuthToken,
  ): Promise<RefreshOutcome> {
    const refreshToken = current.refresh_token as string;
    let fresh: OAuthToken;
    try {
      // `current` carries the DPoP key of a sender-constrained token (RFC 9449).
      fresh = await blueprint.tokenEndpoint.refresh(
        refreshToken,
        undefined,
        current,
      );
    } catch (error) {
      if (error instanceof TokenEndpointError && error.needsReconnect) {
        // Another process (or a new dance) may have replaced the token meanwhile: theirs wins.
        const again = await readFresh(blueprint.storage, key);
        if (again && again.refresh_token !== refreshToken) {
          return { token: again, refreshedHere: false };
        }
        await this.retire(blueprint, key, again);
        const dead = new TokenRefreshError(
          blueprint.name,
          'reconnect',
          `the provider refused the grant (${error.code ?? `HTTP ${error.status ?? 'error'}`}): the user must connect again.`,
          undefined,
          error,
        );
        await this.connectionEvent(
          'reconnect-required',
          blueprint,
          key,
          again,
          {
            error: dead,
          },
        );
        throw await this.report(blueprint, key, dead);
      }
      const delayMs = Math.min(
        (this.backoffs.get(id)?.delayMs ?? 500) * 2,
        this.settings.maxBackoffMs,
      );
      this.rememberBackoff(id, { until: Date.now() + delayMs, delayMs });
      const why =
        error instanceof TokenEndpointError
          ? error.message
          : 'the refresh request failed';
      const failure = new TokenRefreshError(
        blueprint.name,
        'unavailable',
        `${why}; the token is kept.`,
        delayMs,
        error,
      );
      await this.markFailing(blueprint, key, current, failure, delayMs);
      throw await this.report(blueprint, key, failure);
    }
    this.backoffs.delete(id);
    // RFC 6749 §6: a response without refresh_token keeps the old one; same for id_token.
    const refreshed = withExpiresAt({
      ...fresh,
      refresh_token: fresh.refresh_token ?? refreshToken,
      ...(fresh.id_token === undefined && current.id_token !== undefined
        ? { id_token: current.id_token }
        : {}),
      // RFC 6749 §5.1: no scope in the answer means the scope granted before.
      ...(fresh.scope === undefined && current.scope !== undefined
        ? { scope: current.scope }
        : {}),
    });
    delete refreshed[RECONNECT_MARK];
    const { refreshFailing: _passed, ...record } = connectionRecordOf(current);
    const merged = withConnectionRecord(refreshed, {
      ...record,
      updatedAt: Date.now(),
    });
    await blueprint.storage.set(key, merged);
    await this.events.emit('tokenRefreshed', { blueprint, userId: key.userId });
    await this.connectionEvent('refreshed', blueprint, key, merged);
    return { token: merged, refreshedHere: true };
  }

  /**
   * Backs `id` off. Identities can be per session, so the map is bounded: past
   * `MAX_BACKOFFS`, finished backoffs go first, then the oldest.
   */
  private rememberBackoff(id: string, backoff: Backoff): void {
    this.backoffs.delete(id);
    if (this.backoffs.size >= MAX_BACKOFFS) {
      const now = Date.now();
      for (const [other, { until }] of this.backoffs)
        if (until <= now) this.backoffs.delete(other);
      while (this.backoffs.size >= MAX_BACKOFFS)
        this.backoffs.delete(this.backoffs.keys().next().value as string);
    }
    this.backoffs.set(id, backoff);
  }

  /** Logs the failure (its message carries no token) and tells the hook and the listeners. */
  private async report(
    blueprint: Blueprint,
    key: TokenKey,
    failure: TokenRefreshError,
  ): Promise<TokenRefreshError> {
    this.logger.warn(failure.message);
    const event = { blueprint, userId: key.userId, error: failure };
    try {
      await this.options.hooks?.refreshFailed?.(event);
    } catch (hookError) {
      this.logger.error(
        `The refreshFailed hook failed: ${redactText((hookError as Error).message)}`,
      );
    }
    await this.events.emit('refreshFailed', event);
    return failure;
  }

  /** Remembers a passing failure in the stored token, so connections can show it. */
  private async markFailing(
    blueprint: Blueprint,
    key: TokenKey,
    current: OAuthToken,
    failure: TokenRefreshError,
    delayMs: number,
  ): Promise<void> {
    const record = connectionRecordOf(current);
    const now = Date.now();
    const retryAt = now + delayMs;
    try {
      await blueprint.storage.set(
        key,
        withConnectionRecord(current, {
          ...record,
          refreshFailing: {
            kind: failure.failure,
            since: record.refreshFailing?.since ?? now,
            retryAt,
          },
        }),
      );
    } catch (error) {
      this.logger.warn(
        `Could not record the failing refresh of a '${blueprint.name}' token: ${(error as Error).name}`,
      );
    }
    await this.connectionEvent('refresh-failing', blueprint, key, current, {
      error: failure,
      nextRetryAt: new Date(retryAt),
    });
  }

  /** Tells the `connection` hook and listeners; never with the token. */
  private connectionEvent(
    type: ConnectionEventType,
    blueprint: Blueprint,
    key: TokenKey,
    token: OAuthToken | null,
    extra: Pick<ConnectionEvent, 'error' | 'nextRetryAt'> = {},
  ): Promise<void> {
    const record = token ? connectionRecordOf(token) : {};
    return this.events.emitConnection({
      type,
      blueprint,
      provider: key.provider,
      userId: key.userId,
      ...(key.accountId === undefined ? {} : { accountId: key.accountId }),
      ...(record.accountId === undefined
        ? {}
        : { account: { id: record.accountId, name: record.accountName } }),
      ...(token ? { scopes: scopesOf(token) } : {}),
      ...extra,
    });
  }

  private async retire(
    blueprint: Blueprint,
    key: TokenKey,
    token: OAuthToken | null,
  ): Promise<void> {
    if (!token) return;
    if (this.settings.onDeadGrant === 'keep') {
      const { refreshFailing: _passed, ...record } = connectionRecordOf(token);
      await blueprint.storage.set(
        key,
        withConnectionRecord(
          { ...token, [RECONNECT_MARK]: true },
          { ...record, updatedAt: Date.now() },
        ),
      );
    } else {
      await blueprint.storage.delete(key);
    }
  }
}

/**
 * A refresh holds its lock while it waits for the token endpoint: a lock that frees itself
 * first lets another process refresh with the same refresh token meanwhile (with rotating
 * refresh tokens the provider refuses one, or revokes the grant). Checked at start-up.
 */
function assertLockOutlivesRequest(lockTtlMs: number, timeoutMs: number): void {
  if (!Number.isFinite(lockTtlMs) || lockTtlMs <= 0) {
    throw new InvalidOptionsError(
      `refresh.lockTtlMs is ${lockTtlMs}: give the milliseconds after which a crashed refresher's ` +
        `lock frees itself (default ${DEFAULTS.lockTtlMs}).`,
    );
  }
  if (lockTtlMs <= timeoutMs) {
    throw new InvalidOptionsError(
      `refresh.lockTtlMs (${lockTtlMs} ms) must be longer than tokenEndpoint.timeoutMs ` +
        `(${timeoutMs} ms): a refresh holds its lock while it waits for the token endpoint, and ` +
        'a lock that frees itself first lets another process use the same refresh token. Set ' +
        `refresh.lockTtlMs to at least twice the timeout (${2 * timeoutMs}), or lower ` +
        'tokenEndpoint.timeoutMs.',
    );
  }
}

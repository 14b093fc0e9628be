/**
 * When and how tokens are refreshed (`OAuthConsumerModule.forRoot({ refresh })`).
 * @publicApi
 */
export interface RefreshOptions {
  /** Refresh in `getToken()` and `fetch()` when a token is due (default true). */
  enabled?: boolean;
  /**
   * Refresh this many seconds before `expires_at` (default 60). Tokens that live shorter
   * than twice the margin use half their lifetime instead, so refreshing never loops.
   */
  marginSeconds?: number;
  /**
   * A crashed refresher's lock frees itself after this long (default 30 000 ms). Must be longer
   * than `tokenEndpoint.timeoutMs`, since a refresh holds the lock while it waits for the token
   * endpoint (checked at start-up).
   */
  lockTtlMs?: number;
  /** Wait at most this long for another process's refresh (default 15 000 ms). */
  lockWaitMs?: number;
  /** Longest pause between retries after 5xx, 429 or timeouts (default 60 000 ms). */
  maxBackoffMs?: number;
  /**
   * What to do with a token whose grant the provider refused (`invalid_grant`,
   * `invalid_client`): `keep` it marked with `nest_dance_reconnect: true` (default), so
   * `OAuthConnections` lists it as `reconnect-required` while blueprints treat it as missing;
   * or `delete` it.
   */
  onDeadGrant?: 'delete' | 'keep';
  /**
   * Refresh tokens in the background before they expire, so idle users' tokens stay alive
   * (off by default): every `every` ms, `TokenRefresher.refreshDue({ within, limit })` runs in
   * this process; the sweep is one at a time across processes (through the refresh lock).
   * Needs a storage with `listExpiring` (memory, TypeORM, custom).
   */
  background?: false | BackgroundRefreshOptions;
}

/**
 * Options of the background refresh (`refresh: { background: {...} }`).
 * @publicApi
 */
export interface BackgroundRefreshOptions {
  /** How often to sweep, in milliseconds (default 60 000). */
  every?: number;
  /** Refresh tokens expiring within this many milliseconds (default 300 000, five minutes). */
  within?: number;
  /** The most tokens one sweep refreshes (default 500). */
  limit?: number;
}

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
  /** A crashed refresher's lock frees itself after this long (default 30 000 ms). */
  lockTtlMs?: number;
  /** Wait at most this long for another process's refresh (default 15 000 ms). */
  lockWaitMs?: number;
  /** Longest pause between retries after 5xx, 429 or timeouts (default 60 000 ms). */
  maxBackoffMs?: number;
  /**
   * What to do with a token whose grant the provider refused (`invalid_grant`,
   * `invalid_client`): `delete` it so the user is asked to connect again (default), or `keep` it
   * marked with `nest_dance_reconnect: true` for inspection.
   */
  onDeadGrant?: 'delete' | 'keep';
}

/**
 * Options of `TokenRefresher.refreshDue()`.
 * @publicApi
 */
export interface RefreshDueOptions {
  /** Refresh tokens that expire within this many milliseconds from now (default 300 000). */
  within?: number;
  /** The most tokens this sweep tries to refresh (default 500). */
  limit?: number;
  /** How many refreshes run at once (default 8). */
  concurrency?: number;
}

/**
 * What one sweep of `TokenRefresher.refreshDue()` did.
 * @publicApi
 */
export interface RefreshDueResult {
  /** False when another sweep (in any process) was running, so this one did nothing. */
  swept: boolean;
  /** Tokens this sweep refreshed. */
  refreshed: number;
  /** Tokens found already refreshed (by a request or another process) once their lock was won. */
  alreadyFresh: number;
  /** Tokens whose refresh failed (dead grants, provider down...): see the connection events. */
  failed: number;
  /**
   * Expiring tokens left alone: dead grants kept for a reconnect, nothing to refresh them with,
   * or a recorded failure whose retry time has not come.
   */
  ignored: number;
}

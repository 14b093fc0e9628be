/**
 * A connection's health: `active` (usable), `expired` (the access token expired; refreshed on
 * next use or by the background refresh), `refresh-failing` (refreshing failed for a reason
 * that may pass: see `lastError` and `nextRetryAt`), `reconnect-required` (the grant is dead,
 * or expired with nothing to refresh it: the user must connect again).
 * @publicApi
 */
export type ConnectionStatus =
  'active' | 'expired' | 'refresh-failing' | 'reconnect-required';

/**
 * One stored token seen as a connection of a user to a provider account, as `OAuthConnections`
 * lists it. Never carries the token itself.
 * @publicApi
 */
export interface Connection {
  /** The provider (blueprint name). */
  provider: string;
  /** The token's `TokenKey.accountId` (the provider account id with `multipleAccounts`), if any. */
  accountId?: string;
  /** The user's account at the provider, as read from the profile at dance time. */
  account?: { id: string; name?: string };
  /** The scopes the provider granted. */
  scopes: string[];
  /** When the user first connected this account (null when the token came from elsewhere, e.g. `setToken`). */
  connectedAt: Date | null;
  /** When the token was last stored by a dance or a refresh (null when unknown). */
  updatedAt: Date | null;
  /** When the access token expires (null: it does not say). */
  expiresAt: Date | null;
  status: ConnectionStatus;
  /** For `refresh-failing`: the kind of the last failure (`unavailable`, `lock-timeout`...). */
  lastError?: string;
  /** For `refresh-failing`: when the next refresh attempt may be made. */
  nextRetryAt?: Date;
}

import { OAuthToken } from './oauth-token.interface';

/** The token field that carries what nest-dance knows about the connection (never from a provider). */
export const CONNECTION_FIELD = 'nest_dance_connection';

/** Marks a kept token whose grant the provider refused: the user must connect again. */
export const RECONNECT_MARK = 'nest_dance_reconnect';

/**
 * What nest-dance stores beside a token about its connection: who the user is at the provider
 * (from the profile at dance time), when it was connected and last changed, and whether its
 * refresh is failing. JSON-safe; encrypted with the token when encryption is on.
 * @publicApi
 */
export interface ConnectionRecord {
  /** The user's id at the provider (`profile.id`). */
  accountId?: string;
  /** A name to show for the account (`profile.name`, else `profile.email`). */
  accountName?: string;
  /** When the user first connected this account (epoch milliseconds). */
  connectedAt?: number;
  /** When the token was last stored (epoch milliseconds). */
  updatedAt?: number;
  /** Set while refreshing fails for a reason that may pass (provider down, rate limit, lock). */
  refreshFailing?: {
    /** The `TokenRefreshError.failure` of the last attempt. */
    kind: string;
    /** When the failures began (epoch milliseconds). */
    since: number;
    /** When the next attempt may be made (epoch milliseconds). */
    retryAt: number;
  };
}

/**
 * The connection record stored in `token`, or an empty one.
 * @publicApi
 */
export function connectionRecordOf(token: OAuthToken): ConnectionRecord {
  const record = token[CONNECTION_FIELD];
  return record && typeof record === 'object' && !Array.isArray(record)
    ? { ...(record as ConnectionRecord) }
    : {};
}

/**
 * `token` carrying `record` (an empty record removes the field).
 * @publicApi
 */
export function withConnectionRecord(
  token: OAuthToken,
  record: ConnectionRecord,
): OAuthToken {
  const copy: OAuthToken = { ...token };
  const cleaned = Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(cleaned).length) copy[CONNECTION_FIELD] = cleaned;
  else delete copy[CONNECTION_FIELD];
  return copy;
}

/**
 * Whether `token` is a dead grant kept for the app to show "reconnect": blueprints treat it as
 * missing.
 * @publicApi
 */
export function needsReconnect(token: OAuthToken): boolean {
  return token[RECONNECT_MARK] === true;
}

/**
 * The granted scopes of a token as an array (`scope` split on spaces, or commas for providers
 * that use them).
 * @publicApi
 */
export function scopesOf(token: OAuthToken): string[] {
  const scope = token.scope;
  if (Array.isArray(scope))
    return scope.filter((s): s is string => typeof s === 'string');
  if (typeof scope !== 'string') return [];
  return [...new Set(scope.split(/[\s,]+/).filter(Boolean))];
}

import type { PlatformRequest } from '../platform/http-edge.interface';
import type { Blueprint } from '../blueprint/blueprint';
import type { OAuthProfile } from '../blueprint/oauth-profile.interface';
import type { TokenRefreshError } from '../errors/token-refresh.error';
import type { OAuthToken } from '../storage/oauth-token.interface';

/**
 * Sent before the browser is redirected to the provider.
 * @publicApi
 */
export interface BeforeLoginEvent {
  blueprint: Blueprint;
  /** The provider's authorization URL the browser is about to visit. */
  url: string;
  /** The platform's request (Express `Request`, `FastifyRequest`). */
  request: PlatformRequest;
}

/**
 * Sent when the provider returned a token, before it is stored.
 * @publicApi
 */
export interface AuthorizedEvent {
  blueprint: Blueprint;
  /** The new token, not stored yet; `blueprint.fetch(path, { token })` can use it. */
  token: OAuthToken;
  /** The user at the provider, when the blueprint maps its user-info endpoint. */
  profile?: OAuthProfile;
  /** The platform's request (Express `Request`, `FastifyRequest`). */
  request: PlatformRequest;
}

/**
 * What the `authorized` hook may decide: `false` skips storing; `{ user }` stores the token
 * for that user (e.g. an account the hook just created); `{ redirect }` sends the browser
 * there instead, and skips storing unless `user` is given too.
 * @publicApi
 */
export type AuthorizedHookResult =
  void | undefined | false | { user?: unknown; redirect?: string };

/**
 * Sent when the dance fails: the provider sent `?error=`, the token request failed,
 * or the token could not be stored. Texts are the provider's, shortened; never a token.
 * @publicApi
 */
export interface OAuthErrorEvent {
  blueprint: Blueprint;
  /** An OAuth error code (`access_denied`, `token_request_failed`, `storage_failed`, ...). */
  error: string;
  description?: string;
  uri?: string;
  /** The underlying error, when there is one. */
  cause?: unknown;
  /** The platform's request (Express `Request`, `FastifyRequest`). */
  request: PlatformRequest;
}

/**
 * Sent when a token was refreshed and stored.
 * @publicApi
 */
export interface TokenRefreshedEvent {
  blueprint: Blueprint;
  userId: string | null;
}

/**
 * Sent when a refresh failed; `error.needsReconnect` says whether the user must connect again.
 * @publicApi
 */
export interface RefreshFailedEvent {
  blueprint: Blueprint;
  userId: string | null;
  error: TokenRefreshError;
}

/**
 * What happened to a connection (a stored token): `created` (first dance of an account),
 * `updated` (a new dance changed its scopes or account info), `refreshed`, `refresh-failing`
 * (a failure that may pass), `reconnect-required` (the grant is dead), `deleted`.
 * @publicApi
 */
export type ConnectionEventType =
  | 'created'
  | 'updated'
  | 'refreshed'
  | 'refresh-failing'
  | 'reconnect-required'
  | 'deleted';

/**
 * Sent when a connection changes, as `connection.<type>` on `OAuthEvents` and to the
 * `connection` hook: who owns it and which provider account, never the token.
 * @publicApi
 */
export interface ConnectionEvent {
  type: ConnectionEventType;
  blueprint: Blueprint;
  /** The provider (blueprint name). */
  provider: string;
  /** The owner's user id (null for the userless token). */
  userId: string | null;
  /** The `TokenKey.accountId` of the connection, when it is one of several. */
  accountId?: string;
  /** The user's account at the provider, as read from the profile at dance time. */
  account?: { id: string; name?: string };
  /** The granted scopes, after the change (not for `deleted`). */
  scopes?: string[];
  /** For `refresh-failing` and `reconnect-required`: the failure. */
  error?: TokenRefreshError;
  /** For `refresh-failing`: when the next attempt may be made. */
  nextRetryAt?: Date;
}

/**
 * Hooks into the dance (Flask-Dance's signals), given in `OAuthConsumerModule.forRoot({ hooks })`.
 * @publicApi
 */
export interface OAuthHooks {
  /** Before the redirect to the provider. */
  beforeLogin?(event: BeforeLoginEvent): void | Promise<void>;
  /** When a token arrived; decide whether and for whom it is stored. */
  authorized?(
    event: AuthorizedEvent,
  ): AuthorizedHookResult | Promise<AuthorizedHookResult>;
  /** When the dance failed; may return `{ redirect }` to choose where the browser goes. */
  error?(
    event: OAuthErrorEvent,
  ): void | { redirect: string } | Promise<void | { redirect: string }>;
  /** When a refresh failed (dead grant, or the provider unavailable). */
  refreshFailed?(event: RefreshFailedEvent): void | Promise<void>;
  /**
   * When a connection was created, updated, refreshed, started failing, needs a reconnect or
   * was deleted (`event.type`): e.g. to send an email or a webhook. Never carries the token.
   */
  connection?(event: ConnectionEvent): void | Promise<void>;
}

/**
 * The events `OAuthEvents` emits, by name.
 * @publicApi
 */
export interface OAuthEventMap {
  beforeLogin: BeforeLoginEvent;
  authorized: AuthorizedEvent;
  error: OAuthErrorEvent;
  tokenRefreshed: TokenRefreshedEvent;
  refreshFailed: RefreshFailedEvent;
  'connection.created': ConnectionEvent;
  'connection.updated': ConnectionEvent;
  'connection.refreshed': ConnectionEvent;
  'connection.refresh-failing': ConnectionEvent;
  'connection.reconnect-required': ConnectionEvent;
  'connection.deleted': ConnectionEvent;
}

import type { Request } from 'express';
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
  request: Request;
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
  request: Request;
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
  request: Request;
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
}

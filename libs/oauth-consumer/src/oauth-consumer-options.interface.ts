import {
  ClassProvider,
  ExistingProvider,
  FactoryProvider,
  RequestMethod,
  Type,
} from '@nestjs/common';
import { BlueprintOptions } from './blueprint/blueprint-options.interface';
import { BlueprintSource } from './blueprint/blueprint-source.interface';
import { OAuthHooks } from './dance/oauth-hooks.interface';
import type { PlatformRequest } from './platform/http-edge.interface';
import { TokenEndpointLimits } from './protocol/token-endpoint.client';
import { CacheTokenOptions } from './storage/cached-token.storage';
import { RedisCacheTokenOptions } from './storage/redis-token.cache';
import { RefreshLock } from './refresh/refresh-lock.interface';
import { RefreshOptions } from './refresh/refresh-options.interface';
import { TokenEncryptionOptions } from './storage/token-encryption.interface';
import { TokenStorage } from './storage/token-storage.interface';

/**
 * Finds the current user of a request (default: `request.user`, as Passport sets it): the
 * platform's request, Express's `Request` or Fastify's `FastifyRequest`.
 * Return `null` or `undefined` for an anonymous visitor.
 * @publicApi
 */
export type UserResolver = (request: PlatformRequest) => unknown;

/**
 * Finds a user's id (default: `user.id`): a string, a finite number or a bigint (anything else,
 * such as an object or a Buffer, is refused with an `InvalidOptionsError`).
 * @publicApi
 */
export type UserIdResolver = (
  user: unknown,
) => string | number | bigint | null | undefined;

/**
 * How the module-wide storage is bound to `TOKEN_STORAGE`: a class (bound with `useClass`,
 * with full dependency injection) or a provider without its `provide` key.
 * @publicApi
 */
export type TokenStorageBinding = ProviderBinding<TokenStorage>;

/**
 * A class (bound with `useClass`) or a provider without its `provide` key.
 * @publicApi
 */
export type ProviderBinding<T> =
  | Type<T>
  | Omit<ClassProvider<T>, 'provide'>
  | Omit<FactoryProvider<T>, 'provide'>
  | Omit<ExistingProvider<T>, 'provide'>;

/**
 * Options of `OAuthConsumerModule.forRoot()` (and the result of `forRootAsync`'s factory).
 * @publicApi
 */
export interface OAuthConsumerModuleOptions {
  /** One blueprint per provider, made by a preset or `oauth2({...})`. */
  blueprints: BlueprintOptions[];
  /**
   * Blueprints created while the app runs (a tenant's Okta or Entra ID from a database table):
   * `{ resolve: (name) => ... }` answers the names that are not in `blueprints`, cached per
   * process (`cache`), dropped with `BlueprintRegistry.invalidate(name)`.
   */
  blueprintSource?: BlueprintSource;
  /** Finds the current user of a request (default: `request.user`). */
  user?: UserResolver;
  /** Finds a user's id (default: `user.id`). */
  userId?: UserIdResolver;
  /**
   * Refuse token operations without a user. Default: true when `user` is given, false otherwise
   * (as in Flask-Dance).
   */
  userRequired?: boolean;
  /** Where the browser goes after the dance, unless the blueprint says otherwise (default `/`). */
  redirectTo?: string;
  /**
   * The origin the app is reached at (e.g. `https://app.example.com`): callback URLs are built
   * from it, never from the spoofable Host header. Needed unless every blueprint has `redirectUrl`.
   */
  publicUrl?: string;
  /** Hooks into the dance (Flask-Dance's signals); `OAuthEvents` offers the same as events. */
  hooks?: OAuthHooks;
  /**
   * Seals the state cookie of apps without a session (at least 32 characters). Without
   * it a random per-process secret is used, which breaks dances that span several processes.
   */
  stateSecret?: string;
  /** How long a user may take between the login redirect and the callback (default 10 minutes). */
  danceTimeoutMs?: number;
  /** When and how tokens are refreshed; see `RefreshOptions`. */
  refresh?: RefreshOptions;
  /** Time, size and nesting limits on token endpoint responses. */
  tokenEndpoint?: TokenEndpointLimits;
  /**
   * Cache tokens in the app's `CACHE_MANAGER` (needs `CacheModule.register({ isGlobal: true })`
   * from `@nestjs/cache-manager`): `true` for the defaults, or options. With `{ redis: client }`
   * (a connected node-redis client) tokens are cached straight in Redis instead, without
   * cache-manager and Keyv: the fastest shared cache. Wraps every blueprint's storage except
   * `SessionTokenStorage` (per-browser tokens must not go into a shared cache).
   */
  cache?: boolean | CacheTokenOptions | RedisCacheTokenOptions;
  /**
   * Encrypt tokens at rest with AES-256-GCM in every blueprint's storage (session, TypeORM,
   * memory, custom), outside the cache: `{ keys: [current, ...older] }`, each key a base64 string
   * of 32 bytes or `{ id, key }`. A token found without encryption is refused (read as no token)
   * unless `plaintext: 'migrate'` is set while a storage written before encryption is sealed.
   * See docs/security.md.
   */
  encryption?: TokenEncryptionOptions;
}

/**
 * Options that shape the module itself, given beside `forRoot` options or `forRootAsync`'s factory.
 * @publicApi
 */
export interface OAuthConsumerModuleExtras {
  /** The storage bound to `TOKEN_STORAGE` (default `SessionTokenStorage`). */
  storage?: TokenStorageBinding;
  /**
   * Route prefix of the dance (default `/login`): `/login/{name}` and `/login/{name}/authorized`.
   * It shapes the routes, so with `forRootAsync` give it beside `useFactory`.
   */
  loginPath?: string;
  /**
   * The lock that serialises refreshes across processes, bound to `REFRESH_LOCK` (default
   * `InProcessRefreshLock`; use `RedisRefreshLock.forUrl(url)` or `TypeOrmRefreshLock` for several).
   */
  refreshLock?: ProviderBinding<RefreshLock>;
  /**
   * Where the user context is entered (default: every route). Entering it is one
   * `AsyncLocalStorage.run` per request, and on Node 20 the first one switches on promise hooks
   * for the whole process, which every `await` then pays. Apps whose token reads happen on a few
   * routes can limit it, with the syntax of Nest's `MiddlewareConsumer`:
   * `{ forRoutes: ['api/{*splat}'], exclude: ['health'] }`. The dance routes are always included.
   * The trade-off: on a route left out, `getToken()`, `fetch()` and the storages see no current
   * request (as in a background job): they need an explicit owner (`{ userId }`) or `runAs`.
   * Express only for now; on Fastify the context covers every route.
   */
  userContext?: UserContextRoutes;
}

/**
 * The routes the user context is entered on (`OAuthConsumerModule.forRoot({ userContext })`).
 * @publicApi
 */
export interface UserContextRoutes {
  /** Paths (`'api/{*splat}'`) or `{ path, method }` routes, as `MiddlewareConsumer.forRoutes` takes. */
  forRoutes?: Array<string | UserContextRoute>;
  /** Paths or routes to leave out, as `MiddlewareConsumer.exclude` takes. */
  exclude?: Array<string | UserContextRoute>;
}

/**
 * One route of `UserContextRoutes`: a path and an HTTP method (Nest's `RouteInfo`).
 * @publicApi
 */
export interface UserContextRoute {
  path: string;
  method: RequestMethod;
}

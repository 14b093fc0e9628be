import { BlueprintOptions } from './blueprint-options.interface';

/**
 * Where blueprints created while the app runs come from (each customer's Okta, Entra ID tenant
 * or Keycloak realm, kept in the app's database): `OAuthConsumerModule.forRoot({ blueprintSource })`.
 * Consulted only for names that are not static `blueprints`, and cached.
 * @publicApi
 */
export interface BlueprintSource {
  /**
   * The blueprint named `name` (its `name` must be `name`), or `null`/`undefined` when there is
   * none or it is disabled: the login routes then answer 404. A rejection (the database is down)
   * answers 503 and is not cached.
   */
  resolve(
    name: string,
  ):
    | Promise<BlueprintOptions | null | undefined>
    | BlueprintOptions
    | null
    | undefined;
  /** How resolved blueprints are cached in each process; see `BlueprintSourceCacheOptions`. */
  cache?: BlueprintSourceCacheOptions;
}

/**
 * The per-process cache of `BlueprintSource` answers. Each process reads the source again once
 * an entry is `ttlMs` old; `BlueprintRegistry.invalidate(name)` drops an entry at once.
 * @publicApi
 */
export interface BlueprintSourceCacheOptions {
  /** The most blueprints kept (least recently used go first; default 500). */
  max?: number;
  /** How long a resolved blueprint is used before the source is asked again (default 60 s). */
  ttlMs?: number;
  /** How long an unknown or disabled name is remembered as such (default 5 s; 0 to never). */
  missTtlMs?: number;
}

import { Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OAuthUserContext } from '../context/oauth-user.context';
import { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import {
  CACHE_MANAGER_TOKEN,
  CacheTokenOptions,
  CachedTokenStorage,
  TokenCache,
} from '../storage/cached-token.storage';
import {
  RedisTokenCache,
  isRedisCacheOptions,
} from '../storage/redis-token.cache';
import { SessionTokenStorage } from '../storage/session-token.storage';
import {
  EncryptedTokenStorage,
  plaintextMigrationWarning,
  tokenEncryptionWrapper,
} from '../storage/encrypted-token.storage';
import { TokenStorage } from '../storage/token-storage.interface';
import { DanceRoutes } from '../dance/dance-routes.interface';
import { TokenEndpointClient } from '../protocol/token-endpoint.client';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenRefresher } from '../refresh/token-refresher';
import { OAuthEvents } from '../dance/oauth.events';
import { Blueprint } from './blueprint';
import { BlueprintOptions } from './blueprint-options.interface';
import { withDiscoveredEndpoints } from '../protocol/oidc-discovery.util';
import { assertBlueprintName } from './oauth2.blueprint';
import { BlueprintRegistry } from './blueprint.registry';
import { BlueprintSourceCache } from './blueprint-source.cache';

/**
 * Builds the registry at start-up: validates names, resolves each blueprint's storage
 * (its own `storage` class, with dependency injection, or the module's) and wraps it.
 */
export async function createBlueprintRegistry(
  options: OAuthConsumerModuleOptions,
  moduleStorage: TokenStorage,
  context: OAuthUserContext,
  moduleRef: ModuleRef,
  routes: DanceRoutes,
  refresher: TokenRefresher,
): Promise<BlueprintRegistry> {
  const storages = new StorageResolver(moduleRef);
  const withCache = tokenCacheWrapper(options, moduleRef);
  const withEncryption = tokenEncryptionWrapper(options.encryption);
  const events = moduleRef.get(OAuthEvents, { strict: false });
  const build = async (blueprintOptions: BlueprintOptions) => {
    assertBlueprintName(blueprintOptions.name);
    const resolvedOptions = assertEndpoints(
      await withDiscoveredEndpoints(assertClientId(blueprintOptions)),
    );
    // Encryption outside the cache: caches (Redis...) only ever see ciphertext.
    const storage = withEncryption(
      withCache(
        blueprintOptions.storage
          ? await storages.resolve(blueprintOptions.storage)
          : moduleStorage,
      ),
    );
    return new Blueprint(resolvedOptions, {
      storage,
      context,
      refresher,
      tokenEndpoint: new TokenEndpointClient(
        resolvedOptions,
        options.tokenEndpoint,
      ),
      loginUrl: `${routes.loginPath}/${resolvedOptions.name}`,
      events,
    });
  };
  const blueprints: Blueprint[] = [];
  for (const blueprintOptions of options.blueprints ?? []) {
    blueprints.push(await build(blueprintOptions));
  }
  const registry = new BlueprintRegistry(blueprints);
  const migrating = plaintextMigrationWarning(options.encryption);
  if (migrating) registry.warnAtStartup(migrating);
  const userless = userlessWarning(options, blueprints);
  if (userless) registry.warnAtStartup(userless);
  if (options.blueprintSource) {
    registry.attachSource(
      new BlueprintSourceCache(
        options.blueprintSource,
        build,
        withEncryption(withCache(moduleStorage)),
        typeof moduleStorage.listExpiring === 'function',
      ),
    );
  }
  refresher.attachRegistry(registry);
  return registry;
}

/**
 * Wraps storages in one CachedTokenStorage each when `cache` is on. Session storage is left
 * alone: its tokens belong to one browser, and a shared cache keyed by user would mix them.
 */
function tokenCacheWrapper(
  options: OAuthConsumerModuleOptions,
  moduleRef: ModuleRef,
): (storage: TokenStorage) => TokenStorage {
  if (!options.cache) return (storage) => storage;
  const cacheOptions = options.cache === true ? {} : options.cache;
  if (isRedisCacheOptions(cacheOptions))
    return cachedWith(
      new RedisTokenCache(cacheOptions.redis, cacheOptions.keyPrefix),
      cacheOptions,
    );
  const lookUp = () =>
    moduleRef.get<TokenCache>(CACHE_MANAGER_TOKEN, { strict: false });
  try {
    lookUp();
  } catch {
    throw new InvalidOptionsError(
      'OAuthConsumerModule.forRoot({ cache }) needs a cache: import ' +
        "CacheModule.register({ isGlobal: true }) from '@nestjs/cache-manager' in your AppModule " +
        '(npm install @nestjs/cache-manager cache-manager) ' +
        '(with a Keyv store such as @keyv/redis when several processes share tokens), or remove `cache`.',
    );
  }
  // Modules are instantiated concurrently, so the cache may not exist yet: use it lazily.
  let resolved: TokenCache | undefined;
  const current = (): TokenCache => (resolved ??= lookUp());
  const cache: TokenCache = {
    get: (key) => current().get(key),
    set: (key, value, ttl) => current().set(key, value, ttl),
    del: (key) => current().del(key),
  };
  return cachedWith(cache, cacheOptions);
}

/** One CachedTokenStorage per storage over `cache` (session storage left alone). */
function cachedWith(
  cache: TokenCache,
  cacheOptions: CacheTokenOptions,
): (storage: TokenStorage) => TokenStorage {
  const wrappers = new Map<TokenStorage, TokenStorage>();
  return (storage) => {
    if (storage instanceof SessionTokenStorage) return storage;
    let wrapped = wrappers.get(storage);
    if (!wrapped) {
      wrapped = new CachedTokenStorage(storage, cache, cacheOptions);
      wrappers.set(storage, wrapped);
    }
    return wrapped;
  };
}

/** An empty clientId (an unset environment variable, say) would fail deep inside the dance. */
function assertClientId(options: BlueprintOptions): BlueprintOptions {
  if (typeof options.clientId !== 'string' || !options.clientId.trim()) {
    throw new InvalidOptionsError(
      `Blueprint '${options.name}' has no clientId (got ${JSON.stringify(options.clientId ?? null)}): ` +
        "give the client id from the provider's console, e.g. clientId: process.env.GITHUB_CLIENT_ID, " +
        'and check that the variable is set.',
    );
  }
  return options;
}

/**
 * `userRequired: false` over a storage that is not per session: one token per provider for
 * every visitor without a user. Allowed (single-user tools, jobs), but said at start-up.
 */
function userlessWarning(
  options: OAuthConsumerModuleOptions,
  blueprints: readonly Blueprint[],
): string | undefined {
  if (options.userRequired !== false) return undefined;
  const shared = blueprints
    .filter((blueprint) => blueprint.storage.perSession !== true)
    .map(
      (blueprint) => `'${blueprint.name}' (${storageName(blueprint.storage)})`,
    );
  if (!shared.length) return undefined;
  return (
    `userRequired: false: ${shared.join(', ')} keep(s) one token per provider for every visitor ` +
    'without a user: whoever connects last, used by all of them. Fine for a single-user tool or ' +
    'a job; for an app with visitors, sign them in and drop userRequired: false (a user is then ' +
    'required), or keep tokens per browser with SessionTokenStorage.'
  );
}

/** The class name of the storage under the cache and encryption wrappers. */
function storageName(storage: TokenStorage): string {
  let inner = storage;
  while (
    inner instanceof EncryptedTokenStorage ||
    inner instanceof CachedTokenStorage
  )
    inner = inner.storage;
  return inner.constructor.name;
}

function assertEndpoints(options: BlueprintOptions): BlueprintOptions {
  for (const key of ['authorizationUrl', 'tokenUrl'] as const) {
    const url = options[key];
    if (!url || !/^https?:\/\//i.test(url)) {
      throw new InvalidOptionsError(
        `Blueprint '${options.name}' needs an absolute http(s) ${key} (got ${JSON.stringify(url ?? null)}): ` +
          'give it, use a preset, or use oidc({ issuer }) to discover it.',
      );
    }
  }
  return options;
}

/** One instance per storage class: the app's provider when it has one, else one created with DI. */
class StorageResolver {
  private readonly instances = new Map<
    Type<TokenStorage>,
    Promise<TokenStorage>
  >();

  constructor(private readonly moduleRef: ModuleRef) {}

  resolve(storageClass: Type<TokenStorage>): Promise<TokenStorage> {
    let instance = this.instances.get(storageClass);
    if (!instance) {
      instance =
        this.provided(storageClass) ?? this.moduleRef.create(storageClass);
      this.instances.set(storageClass, instance);
    }
    return instance;
  }

  private provided(
    storageClass: Type<TokenStorage>,
  ): Promise<TokenStorage> | undefined {
    try {
      return Promise.resolve(
        this.moduleRef.get(storageClass, { strict: false }),
      );
    } catch {
      return undefined;
    }
  }
}

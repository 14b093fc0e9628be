import { Logger } from '@nestjs/common';
import { BlueprintSourceError } from '../errors/blueprint-source.error';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { listTokens } from '../storage/token-list.util';
import { TokenStorage } from '../storage/token-storage.interface';
import { Blueprint } from './blueprint';
import { BlueprintOptions } from './blueprint-options.interface';
import { BlueprintSource } from './blueprint-source.interface';

/** Builds a Blueprint from options as start-up does (discovery, storage, wrappers). */
export type BlueprintBuilder = (
  options: BlueprintOptions,
) => Promise<Blueprint>;

const NAME = /^[a-z0-9][a-z0-9_-]{0,49}$/i;

interface Entry {
  /** `null`: the source knows no such (enabled) blueprint. */
  blueprint: Blueprint | null;
  expiresAt: number;
}

/**
 * The per-process, bounded (LRU) and time-limited cache of a `BlueprintSource`: one source call
 * per name at a time, misses remembered briefly (so a flood of made-up names does not reach the
 * database), failures never cached. Internal: apps use `BlueprintRegistry.resolve` / `invalidate`.
 */
export class BlueprintSourceCache {
  private readonly logger = new Logger('nest-dance');
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Blueprint | null>>();
  /** Bumped by `invalidate`, so an answer read before it is not cached after it. */
  private readonly epochs = new Map<string, number>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly missTtlMs: number;

  constructor(
    private readonly source: BlueprintSource,
    private readonly build: BlueprintBuilder,
    /** The storage of runtime blueprints without their own `storage` (the module's, wrapped). */
    readonly moduleStorage: TokenStorage,
    /** Whether the module storage lists expiring tokens (background sweeps visit it then). */
    readonly sweepable: boolean,
  ) {
    if (typeof source?.resolve !== 'function') {
      throw new InvalidOptionsError(
        'OAuthConsumerModule.forRoot({ blueprintSource }) needs a resolve(name) function returning the ' +
          'BlueprintOptions of that name (or undefined), e.g. { resolve: (name) => tenants.blueprintOf(name) }.',
      );
    }
    const cache = source.cache ?? {};
    this.max = positive(cache.max, 500, 'max');
    this.ttlMs = positive(cache.ttlMs, 60_000, 'ttlMs');
    this.missTtlMs = cache.missTtlMs ?? 5_000;
  }

  /** The cached blueprint of `name`, when it is cached and fresh. */
  cached(name: string): Blueprint | undefined {
    const entry = this.fresh(name);
    return entry?.blueprint ?? undefined;
  }

  /** Every cached, fresh blueprint. */
  all(): Blueprint[] {
    const now = Date.now();
    const found: Blueprint[] = [];
    for (const entry of this.entries.values()) {
      if (entry.blueprint && entry.expiresAt > now) found.push(entry.blueprint);
    }
    return found;
  }

  /**
   * The blueprint of `name`, from the cache or the source; `null` when the source has none (or
   * gave options that are not usable: logged with their fix). Throws `BlueprintSourceError`
   * when the source fails.
   */
  resolve(name: string): Promise<Blueprint | null> {
    if (typeof name !== 'string' || !NAME.test(name))
      return Promise.resolve(null);
    const entry = this.fresh(name);
    if (entry) return Promise.resolve(entry.blueprint);
    let pending = this.pending.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => this.pending.delete(name));
      this.pending.set(name, pending);
    }
    return pending;
  }

  /**
   * The runtime blueprint of a stored token's `provider` kept in `storage` (for listings and
   * background sweeps), or `undefined`: not a runtime blueprint, another storage, or the source
   * failing (logged; the token is left for the next sweep).
   */
  async ofStoredToken(
    provider: string,
    storage: TokenStorage,
  ): Promise<Blueprint | undefined> {
    try {
      const blueprint = await this.resolve(provider);
      return blueprint && blueprint.storage === storage ? blueprint : undefined;
    } catch (error) {
      this.logger.warn((error as Error).message);
      return undefined;
    }
  }

  /**
   * The runtime blueprints of `userId`'s tokens in the module storage that `known` does not
   * hold yet: one `list()` of that user's tokens, then one resolve per unknown provider.
   */
  async ofUser(
    userId: string | null,
    known: readonly Blueprint[],
  ): Promise<Blueprint[]> {
    const names = new Set(known.map((blueprint) => blueprint.name));
    const found: Blueprint[] = [];
    for (const entry of await listTokens(this.moduleStorage, { userId })) {
      const provider = entry.key.provider;
      if (names.has(provider)) continue;
      names.add(provider);
      const blueprint = await this.ofStoredToken(provider, this.moduleStorage);
      if (blueprint) found.push(blueprint);
    }
    return found;
  }

  /** Forgets `name` (or every name), so the next request reads the source again. */
  invalidate(name?: string): void {
    const names = name === undefined ? [...this.entries.keys()] : [name];
    for (const each of names) {
      this.entries.delete(each);
      this.pending.delete(each);
      this.epochs.set(each, (this.epochs.get(each) ?? 0) + 1);
    }
  }

  private async load(name: string): Promise<Blueprint | null> {
    const epoch = this.epochs.get(name) ?? 0;
    let options: BlueprintOptions | null | undefined;
    try {
      options = await this.source.resolve(name);
    } catch (error) {
      throw new BlueprintSourceError(name, error);
    }
    let blueprint: Blueprint | null = null;
    if (options) {
      try {
        if (options.name !== name) {
          throw new InvalidOptionsError(
            `the blueprintSource answered '${name}' with a blueprint named ${JSON.stringify(options.name)}: ` +
              'give it the name it was asked for',
          );
        }
        blueprint = await this.build(options);
      } catch (error) {
        this.logger.error(
          `The runtime blueprint '${name}' is not usable, so its login routes answer 404: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        blueprint = null;
      }
    }
    if ((this.epochs.get(name) ?? 0) === epoch) {
      const ttl = blueprint ? this.ttlMs : this.missTtlMs;
      if (ttl > 0)
        this.remember(name, { blueprint, expiresAt: Date.now() + ttl });
    }
    return blueprint;
  }

  private fresh(name: string): Entry | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(name);
      return undefined;
    }
    // Least recently used first: a hit moves the entry to the end.
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry;
  }

  private remember(name: string, entry: Entry): void {
    this.entries.delete(name);
    this.entries.set(name, entry);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

function positive(
  value: number | undefined,
  fallback: number,
  option: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) {
    throw new InvalidOptionsError(
      `blueprintSource.cache.${option} must be a positive number (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

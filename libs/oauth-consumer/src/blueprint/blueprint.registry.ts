import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DuplicateBlueprintError } from '../errors/duplicate-blueprint.error';
import { UnknownBlueprintError } from '../errors/unknown-blueprint.error';
import { Blueprint } from './blueprint';
import { BlueprintSourceCache } from './blueprint-source.cache';

/**
 * Every blueprint of the app by name; inject it to look blueprints up at run time.
 * @publicApi
 */
export class BlueprintRegistry implements OnApplicationBootstrap {
  private readonly byName = new Map<string, Blueprint>();
  private runtime?: BlueprintSourceCache;
  private readonly startupWarnings: string[] = [];

  constructor(blueprints: readonly Blueprint[]) {
    for (const blueprint of blueprints) {
      if (this.byName.has(blueprint.name))
        throw new DuplicateBlueprintError(blueprint.name);
      this.byName.set(blueprint.name, blueprint);
    }
  }

  /**
   * The blueprint named `name` (static, or a runtime one cached in this process); throws
   * `UnknownBlueprintError` naming the fix when there is none. Use `resolve` for runtime ones.
   */
  get(name: string, requestedBy?: string): Blueprint {
    const blueprint = this.byName.get(name) ?? this.runtime?.cached(name);
    if (!blueprint)
      throw new UnknownBlueprintError(name, this.names(), requestedBy);
    return blueprint;
  }

  /** Whether a blueprint named `name` is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Every static blueprint in registration order, then the runtime ones cached in this process. */
  all(): Blueprint[] {
    return [...this.byName.values(), ...(this.runtime?.all() ?? [])];
  }

  /**
   * The blueprint named `name`: a static one, else the `blueprintSource`'s (cached); `undefined`
   * when there is none or it is disabled. Rejects with `BlueprintSourceError` when the source fails.
   */
  async resolve(name: string): Promise<Blueprint | undefined> {
    const blueprint = this.byName.get(name);
    if (blueprint || !this.runtime) return blueprint;
    return (await this.runtime.resolve(name)) ?? undefined;
  }

  /**
   * Forgets the cached runtime blueprint `name` (every one without a name) in this process, so
   * the next request reads the `blueprintSource` again: call it when a tenant's settings change.
   * Other processes read it again when their cache entry expires (`blueprintSource.cache.ttlMs`).
   */
  invalidate(name?: string): void {
    this.runtime?.invalidate(name);
  }

  /** Internal: the cache of the app's `blueprintSource`, when it has one. */
  get source(): BlueprintSourceCache | undefined {
    return this.runtime;
  }

  /** Internal: set once by the module, when the app gives a `blueprintSource`. */
  attachSource(runtime: BlueprintSourceCache): void {
    this.runtime = runtime;
  }

  /** Internal: a warning about the options, logged once the app's logger is in place. */
  warnAtStartup(text: string): void {
    this.startupWarnings.push(text);
  }

  /** Logs the start-up warnings (through the app's logger, which is set by now). */
  onApplicationBootstrap(): void {
    const logger = new Logger('nest-dance');
    for (const text of this.startupWarnings.splice(0)) logger.warn(text);
  }
}

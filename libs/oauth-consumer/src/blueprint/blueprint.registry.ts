import { DuplicateBlueprintError } from '../errors/duplicate-blueprint.error';
import { UnknownBlueprintError } from '../errors/unknown-blueprint.error';
import { Blueprint } from './blueprint';

/**
 * Every blueprint of the app by name; inject it to look blueprints up at run time.
 * @publicApi
 */
export class BlueprintRegistry {
  private readonly byName = new Map<string, Blueprint>();

  constructor(blueprints: readonly Blueprint[]) {
    for (const blueprint of blueprints) {
      if (this.byName.has(blueprint.name))
        throw new DuplicateBlueprintError(blueprint.name);
      this.byName.set(blueprint.name, blueprint);
    }
  }

  /** The blueprint named `name`; throws `UnknownBlueprintError` naming the fix when there is none. */
  get(name: string, requestedBy?: string): Blueprint {
    const blueprint = this.byName.get(name);
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

  /** Every registered blueprint, in registration order. */
  all(): Blueprint[] {
    return [...this.byName.values()];
  }
}

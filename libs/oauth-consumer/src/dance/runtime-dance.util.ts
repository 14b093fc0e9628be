import { Logger } from '@nestjs/common';
import { Blueprint } from '../blueprint/blueprint';
import { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { BlueprintSourceError } from '../errors/blueprint-source.error';

/** What a login route answers when it has no dance for a name. */
export type NoDance = { status: 404 | 503; message: string };

/**
 * The dances of runtime blueprints (the app's `blueprintSource`), made on first use and kept
 * as long as the registry keeps that very blueprint: `invalidate` makes a new blueprint, hence
 * a new dance with its settings.
 */
export class RuntimeDances<T extends object> {
  private readonly logger = new Logger('nest-dance');
  private readonly dances = new WeakMap<Blueprint, T>();

  constructor(
    private readonly registry: BlueprintRegistry,
    private readonly make: (blueprint: Blueprint) => T,
  ) {}

  /** The dance of the runtime blueprint `name`, or why there is none (404 unknown, 503 source down). */
  async find(name: string): Promise<{ dance: T } | NoDance> {
    const unknown: NoDance = {
      status: 404,
      message: `Unknown provider '${name}'.`,
    };
    if (!this.registry.source) return unknown;
    let blueprint: Blueprint | undefined;
    try {
      blueprint = await this.registry.resolve(name);
    } catch (error) {
      if (!(error instanceof BlueprintSourceError)) throw error;
      this.logger.error(error.message);
      return {
        status: 503,
        message:
          'This sign-in is unavailable right now. Please try again in a moment.',
      };
    }
    if (!blueprint) return unknown;
    let dance = this.dances.get(blueprint);
    if (!dance) {
      dance = this.make(blueprint);
      this.dances.set(blueprint, dance);
    }
    return { dance };
  }
}

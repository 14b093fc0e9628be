import { Inject } from '@nestjs/common';
import { getBlueprintToken } from '../oauth-consumer.constants';

/** Who asked for which blueprint, so start-up can name both when the blueprint is missing. */
export interface BlueprintRequest {
  readonly name: string;
  readonly requestedBy: object;
}

const blueprintRequests: BlueprintRequest[] = [];

/**
 * Injects the blueprint registered under `name`. Start-up fails with a clear error when no
 * blueprint of that name is registered.
 * @publicApi
 * @example constructor(@InjectBlueprint('github') private readonly github: Blueprint) {}
 */
export function InjectBlueprint(
  name: string,
): PropertyDecorator & ParameterDecorator {
  return (target: object, key: string | symbol | undefined, index?: number) => {
    // Constructor parameters decorate the class itself; properties decorate its prototype.
    const requestedBy =
      typeof target === 'function' ? target : target.constructor;
    blueprintRequests.push({ name, requestedBy });
    const inject = Inject(getBlueprintToken(name)) as (
      target: object,
      key: string | symbol | undefined,
      index?: number,
    ) => void;
    inject(target, key, index);
  };
}

/** Every `@InjectBlueprint` use seen so far (decorators run when their class is defined). */
export function getBlueprintRequests(): readonly BlueprintRequest[] {
  return blueprintRequests;
}

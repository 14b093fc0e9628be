import { InvalidOptionsError } from '../errors/invalid-options.error';
import { BlueprintOptions } from './blueprint-options.interface';

const BLUEPRINT_NAME = /^[a-z0-9][a-z0-9_-]{0,49}$/i;

/**
 * A blueprint for any OAuth 2.0 provider, described by its endpoints.
 * @publicApi
 * @example oauth2({ name: 'acme', clientId, clientSecret, authorizationUrl, tokenUrl })
 */
export function oauth2(options: BlueprintOptions): BlueprintOptions {
  assertBlueprintName(options.name);
  return { pkce: true, ...options };
}

/**
 * Checks that a blueprint name can serve as a route segment and a storage key.
 * @publicApi
 */
export function assertBlueprintName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !BLUEPRINT_NAME.test(name)) {
    throw new InvalidOptionsError(
      `Invalid blueprint name ${JSON.stringify(name)}: use 1-50 letters, digits, '-' or '_', ` +
        `starting with a letter or digit (it becomes the route /login/{name}).`,
    );
  }
}

/**
 * Injection token of the module-wide token storage (`TokenStorage` resolves to the same instance).
 * @publicApi
 */
export const TOKEN_STORAGE = Symbol.for('nest-dance:TOKEN_STORAGE');

/**
 * The injection token of the blueprint named `name`, as used by `@InjectBlueprint(name)`.
 * @publicApi
 */
export function getBlueprintToken(name: string): string {
  return `nest-dance:blueprint:${name}`;
}

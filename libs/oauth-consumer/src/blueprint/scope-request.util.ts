import type { BlueprintOptions } from './blueprint-options.interface';

/** Scopes each provider's `RequireToken(name, { scopes })` routes may ask for, by provider. */
const requiredScopes = new Map<string, Set<string>>();

/**
 * Internal: remembers that a `RequireToken` route asks `provider` for `scopes`, so the login
 * route accepts them in its query string.
 */
export function registerRequiredScopes(
  provider: string,
  scopes: readonly string[],
): void {
  let set = requiredScopes.get(provider);
  if (!set) requiredScopes.set(provider, (set = new Set()));
  for (const scope of scopes) set.add(scope);
}

/**
 * The scopes a login URL may add for `blueprint`: its `queryScopes` and every scope a
 * `RequireToken(name, { scopes })` route needs.
 * @publicApi
 */
export function askableScopes(blueprint: Readonly<BlueprintOptions>): string[] {
  return [
    ...new Set([
      ...(blueprint.queryScopes ?? []),
      ...(requiredScopes.get(blueprint.name) ?? []),
    ]),
  ];
}

/** A blueprint's configured `scope` as an array. */
export function baseScopesOf(blueprint: Readonly<BlueprintOptions>): string[] {
  const scope = blueprint.scope;
  if (scope === undefined) return [];
  if (typeof scope !== 'string') return [...scope];
  const separator = blueprint.scopeSeparator ?? ' ';
  return scope.split(separator.trim() ? separator : /\s+/).filter(Boolean);
}

/**
 * The extra scopes of a login request's `scope` query parameter (space or comma separated),
 * or the scopes that may not be asked for. Absent: none.
 */
export function requestedScopes(
  blueprint: Readonly<BlueprintOptions>,
  value: unknown,
): { scopes: string[] } | { refused: string[] } {
  if (value === undefined || value === '') return { scopes: [] };
  if (typeof value !== 'string' || value.length > 1024)
    return { refused: ['(malformed scope parameter)'] };
  const scopes = [...new Set(value.split(/[\s,]+/).filter(Boolean))];
  const allowed = new Set([
    ...askableScopes(blueprint),
    ...baseScopesOf(blueprint),
  ]);
  const refused = scopes.filter((scope) => !allowed.has(scope));
  return refused.length ? { refused } : { scopes };
}

import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { assertBlueprintName } from '../blueprint/oauth2.blueprint';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { Preset, PresetDefaults, PresetInfo } from './preset.interface';
import { PresetOptions } from './preset-options.interface';

/**
 * Makes a preset from its provider info and a builder of the provider-specific options; the
 * builder receives the options and the scope list (the app's, else the default) to adjust.
 * @publicApi
 */
export function definePreset<O extends PresetOptions>(
  info: PresetInfo,
  build: (options: O, scope: readonly string[]) => PresetDefaults,
): Preset<O> {
  const preset = (options: O): BlueprintOptions => {
    if (typeof options?.clientId !== 'string' || options.clientId === '') {
      throw new InvalidOptionsError(
        `${info.name}(): clientId is required: copy it from ${info.console}.`,
      );
    }
    const name = options.name ?? info.name;
    assertBlueprintName(name);
    const requested =
      options.scope === undefined
        ? info.defaultScope
        : scopeList(options.scope);
    const defaults = build(options, requested);
    const scope = defaults.scope ?? requested;
    const authorizationParams = {
      ...defaults.authorizationParams,
      ...options.authorizationParams,
    };
    const blueprint: BlueprintOptions = {
      ...defaults,
      name,
      clientId: options.clientId,
      scope: scopeList(scope).length > 0 ? scope : undefined,
      authorizationParams:
        Object.keys(authorizationParams).length > 0
          ? authorizationParams
          : undefined,
      clientSecret: options.clientSecret,
      redirectUrl: options.redirectUrl,
      redirectTo: options.redirectTo,
      storage: options.storage,
      multipleAccounts: options.multipleAccounts,
      queryScopes: options.queryScopes,
      scopeGrant: options.scopeGrant ?? defaults.scopeGrant,
    };
    return withoutUndefined(blueprint);
  };
  return Object.assign(preset, { info: Object.freeze({ ...info }) });
}

/**
 * A scope given as an array or as one space-separated string, as a list.
 * @publicApi
 */
export function scopeList(scope: string | readonly string[]): string[] {
  const parts = typeof scope === 'string' ? scope.split(/\s+/) : [...scope];
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

/** `scope` with `extra` appended unless already there. */
export function withScope(
  scope: readonly string[],
  ...extra: string[]
): string[] {
  return [...scope, ...extra.filter((item) => !scope.includes(item))];
}

/**
 * Checks a host option (`acme.us.auth0.com`, also accepted with `https://` and a trailing
 * slash) and returns the bare host; anything with a path, query or credentials is refused.
 */
export function hostOption(
  preset: string,
  option: string,
  value: unknown,
  hint: string,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionsError(
      `${preset}(): ${option} is required: ${hint}.`,
    );
  }
  const host = value
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '');
  if (
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i.test(
      host,
    )
  ) {
    throw new InvalidOptionsError(
      `${preset}(): ${option} ${JSON.stringify(value)} is not a host name: ${hint}.`,
    );
  }
  return host.toLowerCase();
}

/**
 * Checks a URL option (http or https, no query or fragment) and returns it without a
 * trailing slash.
 */
export function urlOption(
  preset: string,
  option: string,
  value: unknown,
  hint: string,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionsError(
      `${preset}(): ${option} is required: ${hint}.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidOptionsError(
      `${preset}(): ${option} ${JSON.stringify(value)} is not a URL: ${hint}.`,
    );
  }
  if (
    !/^https?:$/.test(url.protocol) ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new InvalidOptionsError(
      `${preset}(): ${option} must be an http(s) URL without query, fragment or credentials: ${hint}.`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** Checks a path segment option (a realm, a tenant) and returns it URL-encoded. */
export function segmentOption(
  preset: string,
  option: string,
  value: unknown,
  hint: string,
): string {
  if (typeof value !== 'string' || !/^[\w.~-]+$/.test(value)) {
    throw new InvalidOptionsError(
      `${preset}(): ${option} must be a non-empty path segment (letters, digits, '.', '_', '~', '-'): ${hint}.`,
    );
  }
  return encodeURIComponent(value);
}

/** Checks that an option is one of `allowed`. */
export function oneOf<T extends string>(
  preset: string,
  option: string,
  value: T | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new InvalidOptionsError(
      `${preset}(): ${option} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, not ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Authorization parameters from `[name, value]` pairs, skipping absent values. */
export function params(
  entries: Record<string, string | undefined | false>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

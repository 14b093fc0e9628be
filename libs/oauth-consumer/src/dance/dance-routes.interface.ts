/** Where the dance routes live; fixed when the module is defined (they shape the routes). */
export interface DanceRoutes {
  /** The route prefix, normalized: starts with '/', no trailing '/'. */
  loginPath: string;
}

/** Injection token of the app's `DanceRoutes`. */
export const DANCE_ROUTES = Symbol.for('nest-dance:DANCE_ROUTES');

/**
 * Normalizes a login path (`login/` → `/login`); the default is `/login`.
 */
export function normalizeLoginPath(loginPath: string | undefined): string {
  const trimmed = (loginPath ?? '/login').trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

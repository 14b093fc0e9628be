import type { IncomingHttpHeaders } from 'node:http';
import { EdgeCookieOptions } from './http-edge.interface';

/** The value of cookie `name` in a Cookie header, without needing a cookie plugin. */
export function cookieFromHeaders(
  headers: IncomingHttpHeaders,
  name: string,
): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/;

/**
 * A `Set-Cookie` value for one of nest-dance's cookies: always HttpOnly, the value
 * URI-encoded, the same text on Express and on Fastify.
 */
export function serializeCookie(
  name: string,
  value: string,
  options: EdgeCookieOptions,
): string {
  if (!COOKIE_NAME.test(name))
    throw new TypeError(`Invalid cookie name '${name}'.`);
  if (!COOKIE_PATH.test(options.path))
    throw new TypeError(`Invalid cookie path '${options.path}'.`);
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
  ];
  if (options.maxAgeMs !== undefined) {
    const seconds = Math.floor(options.maxAgeMs / 1000);
    parts.push(`Max-Age=${seconds}`);
    parts.push(
      `Expires=${new Date(Date.now() + seconds * 1000).toUTCString()}`,
    );
  }
  parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  parts.push(
    `SameSite=${options.sameSite[0].toUpperCase()}${options.sameSite.slice(1)}`,
  );
  return parts.join('; ');
}

/** A `Set-Cookie` value that removes the cookie (same name, path and attributes). */
export function serializeCookieRemoval(
  name: string,
  options: EdgeCookieOptions,
): string {
  return serializeCookie(name, '', { ...options, maxAgeMs: undefined }).replace(
    `Path=${options.path}`,
    `Path=${options.path}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
}

/** The client's preference among `types` by its Accept header, as Express's `req.accepts`. */
export function preferredType(
  accept: string | undefined,
  types: readonly ('html' | 'json')[],
): 'html' | 'json' | false {
  if (!accept) return types[0] ?? false;
  const mime: Record<'html' | 'json', string> = {
    html: 'text/html',
    json: 'application/json',
  };
  let best:
    | { type: 'html' | 'json'; q: number; order: number; specificity: number }
    | undefined;
  const ranges = accept.split(',').map((range, order) => {
    const [media, ...params] = range.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    return { media: media.trim(), q: Number.isFinite(q) ? q : 0, order };
  });
  for (const type of types) {
    const [main] = mime[type].split('/');
    let match: { q: number; order: number; specificity: number } | undefined;
    for (const range of ranges) {
      const specificity =
        range.media === mime[type]
          ? 2
          : range.media === `${main}/*`
            ? 1
            : range.media === '*/*'
              ? 0
              : -1;
      if (specificity < 0) continue;
      if (!match || specificity > match.specificity)
        match = { q: range.q, order: range.order, specificity };
    }
    if (!match || match.q <= 0) continue;
    // As negotiator ranks: quality, then specificity, then the Accept header's order.
    if (
      !best ||
      match.q > best.q ||
      (match.q === best.q && match.specificity > best.specificity) ||
      (match.q === best.q &&
        match.specificity === best.specificity &&
        match.order < best.order)
    )
      best = { type, ...match };
  }
  return best?.type ?? false;
}

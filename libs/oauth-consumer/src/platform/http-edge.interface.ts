import type { IncomingMessage } from 'node:http';

/**
 * The Nest platforms nest-dance runs on.
 * @publicApi
 */
export type HttpPlatformName = 'express' | 'fastify';

/**
 * The platform's own request object: Express's `Request` or Fastify's `FastifyRequest`.
 * Typed loosely on purpose, so that hooks and resolvers written for either platform keep
 * their own request type (`(request: Request) => request.user`).
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformRequest = any;

/**
 * The attributes nest-dance sets on its own cookies (always `HttpOnly`).
 */
export interface EdgeCookieOptions {
  /** The cookie path (e.g. the blueprint's routes). */
  path: string;
  /** Only over HTTPS. */
  secure: boolean;
  /** `lax` for cookies that must come back on the provider's top-level redirect. */
  sameSite: 'lax' | 'strict' | 'none';
  /** Lifetime in milliseconds; omitted for a browser-session cookie. */
  maxAgeMs?: number;
}

/**
 * The session of a request, whichever plugin made it: express-session, cookie-session,
 * `@fastify/session` or `@fastify/secure-session`.
 */
export interface EdgeSession {
  /** `server`: the data stays on the server, the cookie holds an id; `cookie`: the data is the cookie. */
  readonly kind: 'server' | 'cookie';
  /** The session id, when the session has one (server-side sessions). */
  readonly id: string | undefined;
  /** The value under `key`. */
  get<T = unknown>(key: string): T | undefined;
  /**
   * Stores `value` under `key`. Call it again after changing a value in place: cookie
   * sessions (`@fastify/secure-session`) only save what was `set`.
   */
  set(key: string, value: unknown): void;
  /** Removes `key`. */
  delete(key: string): void;
  /** Every value, as a plain object (a copy). */
  entries(): Record<string, unknown>;
  /**
   * Gives the browser a new session (new id; cookie sessions: emptied) against session
   * fixation, keeping the values under `keep`. Resolves once the new session is in place.
   */
  renew(keep?: readonly string[]): Promise<void>;
}

/**
 * One request and its response, on whichever platform the app runs: everything the dance,
 * `RequireToken` and the storages need from HTTP, and nothing platform-specific.
 */
export interface HttpExchange {
  /** Which platform answers. */
  readonly platform: HttpPlatformName;
  /** The platform's request (Express `Request`, `FastifyRequest`): what hooks receive. */
  readonly request: PlatformRequest;
  /** Node's request underneath. */
  readonly raw: IncomingMessage;
  /** The platform's response (Express `Response`, `FastifyReply`). */
  readonly response: unknown;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path and query the browser asked for, before any prefix was stripped. */
  readonly url: string;
  /** The parsed query string (values are strings or arrays of strings). */
  query(): Record<string, unknown>;
  /** A request header's value (the first, when repeated). */
  header(name: string): string | undefined;
  /** A request cookie's value, parsed from the Cookie header (no cookie plugin needed). */
  cookie(name: string): string | undefined;
  /** The parsed body, when the platform parsed one. */
  body(): unknown;
  /** Which of `types` the client prefers by its Accept header; `false` when none. */
  accepts(types: readonly ('html' | 'json')[]): 'html' | 'json' | false;
  /** Sets a response header. */
  setHeader(name: string, value: string): void;
  /** Adds a `Set-Cookie` (HttpOnly) to the response. */
  setCookie(name: string, value: string, options: EdgeCookieOptions): void;
  /** Adds a `Set-Cookie` that removes the cookie. */
  clearCookie(name: string, options: EdgeCookieOptions): void;
  /** Ends the response with a redirect. */
  redirect(url: string, status?: number): void;
  /** Ends the response with an HTML page. */
  html(status: number, page: string): void;
  /** Ends the response with a JSON body. */
  json(status: number, body: unknown): void;
  /** The request's session, or `undefined` when the app has no session plugin. */
  session(): EdgeSession | undefined;
  /** The user the app's authentication put on the request (`request.user`). */
  user(): unknown;
  /** Puts `user` on the request as `request.user`, for the rest of this request. */
  setUser(user: unknown): void;
}

/**
 * One platform's side of the HTTP edge: makes exchanges, and reads what needs only the
 * request (session, user) for code that has no response at hand (storages, the context).
 */
export interface HttpEdge {
  /** The platform. */
  readonly name: HttpPlatformName;
  /** The exchange of a request and its response (what `@Req()` and `@Res()` give). */
  exchange(request: PlatformRequest, response: unknown): HttpExchange;
  /** The request's session, or `undefined` when the app has no session plugin. */
  session(request: PlatformRequest): EdgeSession | undefined;
  /** The user the app's authentication put on the request (`request.user`). */
  user(request: PlatformRequest): unknown;
  /** Sets `request.user`. */
  setUser(request: PlatformRequest, user: unknown): void;
  /** Node's request underneath. */
  raw(request: PlatformRequest): IncomingMessage;
}

import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  cookieFromHeaders,
  preferredType,
  serializeCookie,
  serializeCookieRemoval,
} from './cookie-header.util';
import {
  EdgeCookieOptions,
  EdgeSession,
  HttpEdge,
  HttpExchange,
} from './http-edge.interface';
import { locationHeaderValue } from './location-header.util';

/** `@fastify/session`'s session: data in a server-side store, the cookie holds its id. */
interface StoreSession {
  sessionId: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  regenerate(keys?: string[]): Promise<void>;
}

/** `@fastify/secure-session`'s session: the data, encrypted, is the cookie. */
interface SealedSession {
  changed: boolean;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  data(): Record<string, unknown> | undefined;
  regenerate(ignoreFields?: string[]): void;
}

type WithSession = FastifyRequest & {
  session?: StoreSession | SealedSession;
  user?: unknown;
};

/** `@fastify/session`'s own members, never data. */
const STORE_SESSION_MEMBERS = new Set(['cookie', 'encryptedSessionId']);

/**
 * The Fastify side of the HTTP edge: `@fastify/session` (server-side) and
 * `@fastify/secure-session` (the data is the encrypted cookie), `request.user` as a guard or a
 * hook sets it, Set-Cookie written by hand so that `@fastify/cookie` is not required.
 */
export class FastifyEdge implements HttpEdge {
  readonly name = 'fastify' as const;

  /** The exchange of a Fastify request and reply. */
  exchange(request: FastifyRequest, reply: FastifyReply): HttpExchange {
    return new FastifyExchange(this, request, reply);
  }

  /** `@fastify/session` or `@fastify/secure-session`, whichever the app registered. */
  session(request: FastifyRequest): EdgeSession | undefined {
    const session = (request as WithSession).session;
    if (!session || typeof session !== 'object') return undefined;
    if (typeof (session as StoreSession).sessionId === 'string')
      return new StoreSessionAccess(request as WithSession);
    if (typeof (session as SealedSession).data === 'function')
      return new SealedSessionAccess(request as WithSession);
    return undefined;
  }

  /** `request.user`, as a guard (`AuthGuard`) or an `onRequest`/`preHandler` hook sets it. */
  user(request: FastifyRequest): unknown {
    return (request as WithSession).user;
  }

  /** Sets `request.user`. */
  setUser(request: FastifyRequest, user: unknown): void {
    (request as WithSession).user = user;
  }

  /** `request.raw`. */
  raw(request: FastifyRequest): IncomingMessage {
    return request.raw;
  }
}

class StoreSessionAccess implements EdgeSession {
  readonly kind = 'server' as const;

  constructor(private readonly request: WithSession) {}

  private get session(): StoreSession {
    return this.request.session as StoreSession;
  }

  get id(): string | undefined {
    return this.session.sessionId || undefined;
  }

  get<T>(key: string): T | undefined {
    return this.session.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.session.set(key, value);
  }

  delete(key: string): void {
    delete (this.session as unknown as Record<string, unknown>)[key];
  }

  entries(): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.session)) {
      if (
        !STORE_SESSION_MEMBERS.has(key) &&
        value !== undefined &&
        typeof value !== 'function'
      )
        copy[key] = value;
    }
    return copy;
  }

  async renew(keep: readonly string[] = []): Promise<void> {
    // A new id; the old record is destroyed in the store; `request.session` is replaced.
    await this.session.regenerate([...keep]);
  }
}

class SealedSessionAccess implements EdgeSession {
  readonly kind = 'cookie' as const;
  readonly id = undefined;

  constructor(private readonly request: WithSession) {}

  private get session(): SealedSession {
    return this.request.session as SealedSession;
  }

  get<T>(key: string): T | undefined {
    return this.session.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.session.set(key, value);
  }

  delete(key: string): void {
    this.session.set(key, undefined);
  }

  entries(): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.session.data() ?? {})) {
      if (value !== undefined) copy[key] = value;
    }
    return copy;
  }

  async renew(keep: readonly string[] = []): Promise<void> {
    // No id to change: a cookie emptied of everything but `keep` is a new session.
    this.session.regenerate([...keep]);
  }
}

class FastifyExchange implements HttpExchange {
  readonly platform = 'fastify' as const;

  constructor(
    private readonly edge: FastifyEdge,
    readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  get response(): FastifyReply {
    return this.reply;
  }

  get raw(): IncomingMessage {
    return this.request.raw;
  }

  get method(): string {
    return this.request.method;
  }

  get url(): string {
    return this.request.originalUrl ?? this.request.url;
  }

  query(): Record<string, unknown> {
    const query = this.request.query;
    return query && typeof query === 'object'
      ? (query as Record<string, unknown>)
      : {};
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  cookie(name: string): string | undefined {
    return cookieFromHeaders(this.request.headers, name);
  }

  body(): unknown {
    return this.request.body;
  }

  accepts(types: readonly ('html' | 'json')[]): 'html' | 'json' | false {
    return preferredType(this.header('accept'), types);
  }

  setHeader(name: string, value: string): void {
    this.reply.header(name, value);
  }

  setCookie(name: string, value: string, options: EdgeCookieOptions): void {
    // Fastify appends repeated set-cookie headers instead of replacing them.
    this.reply.header('set-cookie', serializeCookie(name, value, options));
  }

  clearCookie(name: string, options: EdgeCookieOptions): void {
    this.reply.header('set-cookie', serializeCookieRemoval(name, options));
  }

  redirect(url: string, status = 302): void {
    this.reply.redirect(locationHeaderValue(url), status);
  }

  html(status: number, page: string): void {
    this.reply.code(status).type('text/html; charset=utf-8').send(page);
  }

  json(status: number, body: unknown): void {
    this.reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(body));
  }

  session(): EdgeSession | undefined {
    return this.edge.session(this.request);
  }

  user(): unknown {
    return this.edge.user(this.request);
  }

  setUser(user: unknown): void {
    this.edge.setUser(this.request, user);
  }
}

import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import {
  cookieFromHeaders,
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

type SessionBag = Record<string, unknown> & {
  regenerate?: (callback: (error?: unknown) => void) => void;
};
type WithSession = Omit<Request, 'session' | 'user'> & {
  session?: SessionBag | null;
  sessionID?: string;
  sessionStore?: unknown;
  user?: unknown;
};

/** express-session's own members: never data, never copied by `entries()` or `renew()`. */
const EXPRESS_SESSION_MEMBERS = new Set(['cookie']);

/**
 * The Express side of the HTTP edge: express-session (server-side) and cookie-session
 * (the data is the cookie) sessions, `req.user`, Express's content negotiation.
 */
export class ExpressEdge implements HttpEdge {
  readonly name = 'express' as const;

  /** The exchange of an Express request and response. */
  exchange(request: Request, response: Response): HttpExchange {
    return new ExpressExchange(this, request, response);
  }

  /** express-session or cookie-session, whichever the app mounted. */
  session(request: Request): EdgeSession | undefined {
    const bag = (request as unknown as WithSession).session;
    if (!bag || typeof bag !== 'object') return undefined;
    return new ExpressSession(request as unknown as WithSession);
  }

  /** `req.user`, as Passport and most apps set it. */
  user(request: Request): unknown {
    return (request as unknown as WithSession).user;
  }

  /** Sets `req.user`. */
  setUser(request: Request, user: unknown): void {
    (request as unknown as WithSession).user = user;
  }

  /** An Express request is Node's request. */
  raw(request: Request): IncomingMessage {
    return request;
  }
}

class ExpressSession implements EdgeSession {
  constructor(private readonly request: WithSession) {}

  get kind(): 'server' | 'cookie' {
    return this.request.sessionStore === undefined ? 'cookie' : 'server';
  }

  get id(): string | undefined {
    const id = this.request.sessionID;
    return typeof id === 'string' && id !== '' ? id : undefined;
  }

  private get bag(): SessionBag {
    return this.request.session ?? {};
  }

  get<T>(key: string): T | undefined {
    return this.bag[key] as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.bag[key] = value;
  }

  delete(key: string): void {
    delete this.bag[key];
  }

  entries(): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.bag)) {
      if (!EXPRESS_SESSION_MEMBERS.has(key) && typeof value !== 'function')
        copy[key] = value;
    }
    return copy;
  }

  async renew(keep: readonly string[] = []): Promise<void> {
    const kept = Object.fromEntries(
      keep.filter((key) => key in this.bag).map((key) => [key, this.bag[key]]),
    );
    const session = this.request.session;
    if (session && typeof session.regenerate === 'function') {
      // express-session: a new id, the old record destroyed in the store.
      await new Promise<void>((resolve, reject) =>
        session.regenerate!((error) => (error ? reject(error) : resolve())),
      );
      Object.assign(this.request.session!, kept);
      return;
    }
    // cookie-session: no id to change; the data is the cookie, so emptying it in place (a new
    // empty object would not be written, leaving the old cookie) gives a fresh session.
    for (const key of Object.keys(this.bag)) delete this.bag[key];
    Object.assign(this.bag, kept);
  }
}

class ExpressExchange implements HttpExchange {
  readonly platform = 'express' as const;

  constructor(
    private readonly edge: ExpressEdge,
    readonly request: Request,
    readonly response: Response,
  ) {}

  get raw(): IncomingMessage {
    return this.request;
  }

  get method(): string {
    return this.request.method;
  }

  get url(): string {
    return this.request.originalUrl ?? this.request.url;
  }

  query(): Record<string, unknown> {
    return (this.request.query ?? {}) as Record<string, unknown>;
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  cookie(name: string): string | undefined {
    return cookieFromHeaders(this.request.headers, name);
  }

  body(): unknown {
    return (this.request as { body?: unknown }).body;
  }

  accepts(types: readonly ('html' | 'json')[]): 'html' | 'json' | false {
    return this.request.accepts([...types]) as 'html' | 'json' | false;
  }

  setHeader(name: string, value: string): void {
    this.response.setHeader(name, value);
  }

  setCookie(name: string, value: string, options: EdgeCookieOptions): void {
    this.response.append('Set-Cookie', serializeCookie(name, value, options));
  }

  clearCookie(name: string, options: EdgeCookieOptions): void {
    this.response.append('Set-Cookie', serializeCookieRemoval(name, options));
  }

  /**
   * A bare redirect, as passport writes one: status, `Location`, an empty body. Express's
   * `res.redirect` also negotiates a small HTML or text body for clients of the 1990s, which
   * cost a tenth of a login's CPU time here; browsers follow the header alone.
   */
  redirect(url: string, status = 302): void {
    const response = this.response;
    response.statusCode = status;
    response.setHeader('Location', locationHeaderValue(url));
    response.setHeader('Content-Length', '0');
    response.end();
  }

  html(status: number, page: string): void {
    this.response.status(status).type('html').send(page);
  }

  json(status: number, body: unknown): void {
    this.response.status(status).json(body);
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

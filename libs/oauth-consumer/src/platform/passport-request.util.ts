import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { HttpExchange } from './http-edge.interface';

const EXCHANGE = Symbol('nest-dance.exchange');

/** One passport request per exchange, so that every run of a request sees the same object. */
const made = new WeakMap<HttpExchange, object>();

/**
 * The exchange of each Express request handed to a strategy. Kept beside the request, not on
 * it: a new property on Express's request (an object with dozens of properties already) costs
 * it its shape, and every later access on it pays.
 */
const expressExchanges = new WeakMap<object, HttpExchange>();

type PassportRequest = Record<string | symbol, unknown>;

/**
 * The request a passport strategy (passport-oauth2, passport-oauth1) is run against. On
 * Express it is Express's request; on Fastify an object with what those strategies read
 * (`query`, `body`, `headers`, `method`, `url`, `session`, the socket), since they were written
 * for Express. Either way the exchange rides along, for the state stores to answer through.
 */
export function passportRequestOf(exchange: HttpExchange): object {
  if (exchange.platform === 'express') {
    const request = exchange.request as object;
    expressExchanges.set(request, exchange);
    return request;
  }
  const known = made.get(exchange);
  if (known) return known;
  const passportRequest = new StrategyRequest(exchange, false);
  made.set(exchange, passportRequest);
  return passportRequest;
}

/**
 * The request as the login route hands it to a passport strategy: what `passportRequestOf`
 * gives (session, headers, the exchange for the state store) but with an empty query and no
 * body. passport-oauth2 redeems `?code=` and reports `?error=`, passport-oauth1 exchanges
 * `?oauth_token=`, whatever route they run on; the login route only ever starts a dance, and
 * reads its own parameters (`next`, `scope`) from the real request. A small object of its
 * own on either platform: a view with Express's request as its prototype would turn that
 * request into a prototype, which V8 makes slower to use for the rest of the request.
 */
export function passportLoginRequestOf(exchange: HttpExchange): object {
  return new StrategyRequest(exchange, true);
}

/**
 * What passport strategies read of a request, over an exchange: a class, so each request's
 * object costs an allocation and nothing else (its getters live on the prototype).
 */
class StrategyRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  readonly url: string;
  readonly originalUrl: string;
  readonly socket: Socket;
  readonly connection: Socket;
  readonly raw: IncomingMessage;
  readonly [EXCHANGE]: HttpExchange;
  /** The login route's empty query (its strategy must not see `?code=`), else undefined. */
  private readonly loginQuery: Record<string, unknown> | undefined;

  constructor(exchange: HttpExchange, login: boolean) {
    const raw = exchange.raw;
    this.headers = raw.headers;
    this.method = exchange.method;
    this.url = exchange.url;
    this.originalUrl = exchange.url;
    this.socket = raw.socket;
    this.connection = raw.socket;
    this.raw = raw;
    this[EXCHANGE] = exchange;
    this.loginQuery = login ? {} : undefined;
  }

  get query(): Record<string, unknown> {
    return this.loginQuery ?? this[EXCHANGE].query();
  }

  get body(): unknown {
    return this.loginQuery ? undefined : this[EXCHANGE].body();
  }

  get session(): unknown {
    return (this[EXCHANGE].request as PassportRequest).session;
  }

  get user(): unknown {
    return (this[EXCHANGE].request as PassportRequest).user;
  }
}

/** The exchange a passport request was made for (by `passportRequestOf`). */
export function exchangeOfPassportRequest(
  request: unknown,
): HttpExchange | undefined {
  if (!request || typeof request !== 'object') return undefined;
  return (
    ((request as PassportRequest)[EXCHANGE] as HttpExchange | undefined) ??
    expressExchanges.get(request) ??
    // A view made with the request as its prototype (an app's own strategy may make one).
    expressExchanges.get(Object.getPrototypeOf(request) as object)
  );
}

/** Whether `value` is an exchange (rather than a request made for a passport strategy). */
export function isHttpExchange(value: unknown): value is HttpExchange {
  return (
    !!value &&
    typeof value === 'object' &&
    'setCookie' in value &&
    'platform' in value
  );
}

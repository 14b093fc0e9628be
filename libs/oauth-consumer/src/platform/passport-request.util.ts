import { HttpExchange } from './http-edge.interface';

const EXCHANGE = Symbol('nest-dance.exchange');

/** One passport request per exchange, so that every run of a request sees the same object. */
const made = new WeakMap<HttpExchange, object>();

type PassportRequest = Record<string | symbol, unknown>;

/**
 * The request a passport strategy (passport-oauth2, passport-oauth1) is run against. On
 * Express it is Express's request; on Fastify an object with what those strategies read
 * (`query`, `body`, `headers`, `method`, `url`, `session`, the socket), since they were written
 * for Express. Either way the exchange rides along, for the state stores to answer through.
 */
export function passportRequestOf(exchange: HttpExchange): object {
  if (exchange.platform === 'express') {
    const request = exchange.request as PassportRequest;
    request[EXCHANGE] = exchange;
    return request;
  }
  const known = made.get(exchange);
  if (known) return known;
  const request = exchange.request as PassportRequest;
  const raw = exchange.raw;
  const passportRequest = {
    get query() {
      return exchange.query();
    },
    get body() {
      return exchange.body();
    },
    get session() {
      return request.session;
    },
    get user() {
      return request.user;
    },
    headers: raw.headers,
    method: exchange.method,
    url: exchange.url,
    originalUrl: exchange.url,
    socket: raw.socket,
    connection: raw.socket,
    raw,
    [EXCHANGE]: exchange,
  };
  made.set(exchange, passportRequest);
  return passportRequest;
}

/** The exchange a passport request was made for (by `passportRequestOf`). */
export function exchangeOfPassportRequest(
  request: unknown,
): HttpExchange | undefined {
  if (!request || typeof request !== 'object') return undefined;
  return (request as PassportRequest)[EXCHANGE] as HttpExchange | undefined;
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

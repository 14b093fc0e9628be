import { readLimitedBody } from './limited-body.util';
import { sendRequest } from './node-http-request.util';
import { ReadAnswer } from './read-answer.util';

/**
 * Limits on requests to a provider's endpoints: a provider that is slow or answers huge or
 * deeply nested bodies gets a clear error instead of a stuck or bloated process.
 * @publicApi
 */
export interface TokenEndpointLimits {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Refuse bodies larger than this (default 64 KiB). */
  maxResponseBytes?: number;
  /** Refuse JSON nested deeper than this (default 20). */
  maxJsonDepth?: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: Required<TokenEndpointLimits> = {
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  maxJsonDepth: 20,
};

/** What a provider answered, read under the limits: the evidence for error messages. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body as an object when it is a JSON object or a form-encoded body, else null. */
  parsed: Record<string, unknown> | null;
}

/** A replacement answer handed to the engine (see `limitedFetch`'s `conform`). */
export interface ConformedResponse {
  status: number;
  body: string;
  headers: Headers;
}

/** One request's record: the answer as read, for the error mapping after the engine is done. */
export interface Exchange {
  response?: ReadResponse;
}

/** The request never got a usable answer: too slow, unreachable, too big, too deep. */
export class TransportFailure extends Error {
  constructor(
    readonly failure: 'timeout' | 'network' | 'invalid-response',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The fetch signature oauth4webapi's `customFetch` option takes. */
export type EngineFetch = (
  url: string,
  init: {
    body?: unknown;
    headers: Record<string, string>;
    method: string;
    redirect: 'manual';
    signal?: AbortSignal | null;
  },
) => Promise<Response>;

const DROPPED_HEADERS = [
  'content-length',
  'content-encoding',
  'transfer-encoding',
];

/**
 * A fetch for the protocol engine: one time limit for the answer and its body, a size cap, a
 * JSON depth cap; it records what was read in `exchange` and may hand the engine a conformed
 * answer instead (non-conforming token endpoints, see `conformTokenResponse`).
 */
export function limitedFetch(
  limits: Required<TokenEndpointLimits>,
  exchange: Exchange,
  conform?: (read: ReadResponse) => ConformedResponse,
): EngineFetch {
  return async (url, init) => {
    const received = await answerOf(url, init, limits);
    const read: ReadResponse = {
      ...received,
      parsed: parseBody(
        received.text,
        received.headers.get('content-type'),
        limits,
      ),
    };
    exchange.response = read;
    const answer = conform
      ? conform(read)
      : { status: read.status, body: read.text, headers: read.headers };
    const headers = new Headers(answer.headers);
    for (const name of DROPPED_HEADERS) headers.delete(name);
    return new ReadAnswer(
      isNullBodyStatus(answer.status) ? null : answer.body,
      {
        status: answer.status,
        headers,
      },
    );
  };
}

type Answer = Omit<ReadResponse, 'parsed'>;

/**
 * The provider's answer under the time and size limits: through node's `http` on a keep-alive
 * agent for the bodies the engine sends (form or text), else through `fetch`.
 */
async function answerOf(
  url: string,
  init: Parameters<EngineFetch>[1],
  limits: Required<TokenEndpointLimits>,
): Promise<Answer> {
  const body = init.body;
  if (
    body !== undefined &&
    body !== null &&
    typeof body !== 'string' &&
    !(body instanceof URLSearchParams)
  )
    return fetchedAnswer(url, init, limits);
  const sent = await sendRequest(new URL(url), { ...init, body }, limits);
  switch (sent.outcome) {
    case 'answered':
      return { status: sent.status, headers: sent.headers, text: sent.text };
    case 'no-answer':
      throw new TransportFailure(
        'timeout',
        `no answer within ${limits.timeoutMs} ms`,
      );
    case 'unreachable':
      throw new TransportFailure(
        'network',
        `${new URL(url).origin} could not be reached`,
      );
    case 'body-timeout':
      throw new TransportFailure(
        'timeout',
        `the answer (HTTP ${sent.status}) did not complete within ${limits.timeoutMs} ms`,
        sent.status,
      );
    case 'too-large':
      throw new TransportFailure(
        'invalid-response',
        `the answer (HTTP ${sent.status}) is larger than ${limits.maxResponseBytes} bytes`,
        sent.status,
      );
  }
}

/** The same through `fetch`, for any other body. */
async function fetchedAnswer(
  url: string,
  init: Parameters<EngineFetch>[1],
  limits: Required<TokenEndpointLimits>,
): Promise<Answer> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = init.signal
    ? AbortSignal.any([init.signal, timeout])
    : timeout;
  let response: Response;
  try {
    response = await fetch(url, { ...(init as RequestInit), signal });
  } catch {
    throw timeout.aborted
      ? new TransportFailure(
          'timeout',
          `no answer within ${limits.timeoutMs} ms`,
        )
      : new TransportFailure(
          'network',
          `${new URL(url).origin} could not be reached`,
        );
  }
  let text: string | null;
  try {
    text = await readLimitedBody(response, limits.maxResponseBytes);
  } catch {
    throw new TransportFailure(
      'timeout',
      `the answer (HTTP ${response.status}) did not complete within ${limits.timeoutMs} ms`,
      response.status,
    );
  }
  if (text === null) {
    throw new TransportFailure(
      'invalid-response',
      `the answer (HTTP ${response.status}) is larger than ${limits.maxResponseBytes} bytes`,
      response.status,
    );
  }
  return { status: response.status, headers: response.headers, text };
}

/** A JSON object, or a form-encoded body, as an object; null for anything else. */
function parseBody(
  text: string,
  contentType: string | null,
  limits: Required<TokenEndpointLimits>,
): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return null;
    }
    if (!isPlainObject(value)) return null;
    if (nestsDeeperThan(value, limits.maxJsonDepth)) {
      throw new TransportFailure(
        'invalid-response',
        `the JSON answer is nested deeper than ${limits.maxJsonDepth} levels`,
      );
    }
    return value;
  }
  if (type.includes('x-www-form-urlencoded') || /^[\w.%-]+=/.test(trimmed)) {
    return Object.fromEntries(new URLSearchParams(trimmed));
  }
  return null;
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` nests deeper than `limit`; stops descending as soon as it does. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  return Object.values(value).some((child) =>
    nestsDeeperThan(child, limit - 1),
  );
}

function isNullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

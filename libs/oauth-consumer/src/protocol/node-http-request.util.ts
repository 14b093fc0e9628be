import {
  Agent as HttpAgent,
  IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What one request to a provider came to, read under the limits. */
export type SentRequest =
  | { outcome: 'answered'; status: number; headers: Headers; text: string }
  | { outcome: 'no-answer' | 'unreachable' }
  | { outcome: 'body-timeout' | 'too-large'; status: number };

/** The parts of a request the protocol engine hands its fetch. */
export interface OutgoingRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | URLSearchParams | null;
  signal?: AbortSignal | null;
}

// Idle sockets are closed after 4 s (undici's default), well before providers close theirs.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000 };
const agents = {
  'http:': new HttpAgent(AGENT_OPTIONS),
  'https:': new HttpsAgent(AGENT_OPTIONS),
};

/**
 * One request with node's `http`/`https` on a keep-alive agent: what `fetch` costs several
 * times over per call (a WHATWG Request, streams, an AbortSignal). One timer bounds the answer
 * and its body together; the body is cut off past `maxBytes`. Redirects are not followed.
 */
export function sendRequest(
  url: URL,
  outgoing: OutgoingRequest,
  limits: { timeoutMs: number; maxResponseBytes: number },
): Promise<SentRequest> {
  const body =
    outgoing.body === null || outgoing.body === undefined
      ? undefined
      : String(outgoing.body);
  const headers: Record<string, string> = {
    accept: '*/*',
    'user-agent': 'node',
    ...outgoing.headers,
  };
  if (body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(body));
    if (
      outgoing.body instanceof URLSearchParams &&
      !Object.keys(headers).some(
        (name) => name.toLowerCase() === 'content-type',
      )
    )
      headers['content-type'] =
        'application/x-www-form-urlencoded;charset=UTF-8';
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SentRequest>((resolve) => {
    let status: number | undefined;
    let settled = false;
    const settle = (result: SentRequest) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const request = send(
      url,
      {
        method: outgoing.method,
        headers,
        agent: agents[url.protocol as 'http:' | 'https:'],
      },
      (response: IncomingMessage) => {
        status = response.statusCode ?? 0;
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
          response.destroy();
          return settle({ outcome: 'too-large', status });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > limits.maxResponseBytes) {
            response.destroy();
            return settle({ outcome: 'too-large', status: status! });
          }
          chunks.push(chunk);
        });
        response.once('end', () =>
          settle({
            outcome: 'answered',
            status: status!,
            headers: headersOf(response),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.once('error', () =>
          settle({ outcome: 'body-timeout', status: status! }),
        );
      },
    );
    const stop = () => {
      settle(
        status === undefined
          ? { outcome: 'no-answer' }
          : { outcome: 'body-timeout', status },
      );
      request.destroy();
    };
    const timer = setTimeout(stop, limits.timeoutMs);
    const onAbort = stop;
    outgoing.signal?.addEventListener('abort', onAbort, { once: true });
    if (outgoing.signal?.aborted) stop();
    request.once('error', () =>
      settle(
        status === undefined
          ? { outcome: 'unreachable' }
          : { outcome: 'body-timeout', status },
      ),
    );
    request.end(body);
  });
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i], raw[i + 1]);
    } catch {
      // A header value that the WHATWG Headers class refuses (fetch would have failed on it too).
    }
  }
  return headers;
}

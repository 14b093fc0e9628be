import type { IncomingHttpHeaders } from 'node:http';

/** What the demo needs of a request, on Express and on Fastify alike. */
export interface DemoRequest {
  headers: IncomingHttpHeaders;
}

/** Express's response or Fastify's reply, told apart by what they offer. */
type DemoResponse = object;

interface ExpressLike {
  status(code: number): ExpressLike;
  set(headers: Record<string, string>): ExpressLike;
  type(type: string): ExpressLike;
  send(body: unknown): void;
  json(body: unknown): void;
  redirect(status: number, url: string): void;
}

interface FastifyLike {
  raw: unknown;
  code(code: number): FastifyLike;
  headers(headers: Record<string, string>): FastifyLike;
  type(type: string): FastifyLike;
  send(body: unknown): void;
  redirect(url: string, code: number): void;
}

function isFastifyReply(response: DemoResponse): response is FastifyLike {
  return (
    'raw' in response && typeof (response as FastifyLike).code === 'function'
  );
}

/**
 * Whether the client is a browser submitting a form: it prefers HTML to JSON by its Accept
 * header (an equal preference, or none, means JSON, as Express's `req.accepts(['json', 'html'])`).
 */
export function prefersHtml(request: DemoRequest): boolean {
  const quality = (type: string, family: string): number => {
    let best = -1;
    let found = 0;
    for (const range of String(request.headers.accept ?? '').split(',')) {
      const [media, ...params] = range.trim().toLowerCase().split(';');
      const q = params.find((param) => param.trim().startsWith('q='));
      const value = q ? Number(q.trim().slice(2)) : 1;
      const specificity =
        media === type
          ? 2
          : media === `${family}/*`
            ? 1
            : media === '*/*'
              ? 0
              : -1;
      if (specificity > best) {
        best = specificity;
        found = Number.isFinite(value) ? value : 0;
      }
    }
    return best < 0 ? 0 : found;
  };
  return (
    quality('text/html', 'text') > quality('application/json', 'application')
  );
}

/** Answers a form post: back to the page for browsers, `body` as JSON for API clients. */
export function formResult(
  request: DemoRequest,
  response: DemoResponse,
  body: unknown,
  status = 200,
): void {
  if (isFastifyReply(response)) {
    if (prefersHtml(request)) return response.redirect('/', 303);
    return response.code(status).send(body);
  }
  const express = response as ExpressLike;
  if (prefersHtml(request)) return express.redirect(303, '/');
  express.status(status).json(body);
}

/** Sends an HTML page with `headers`, on either platform. */
export function sendHtml(
  response: DemoResponse,
  headers: Record<string, string>,
  page: string,
): void {
  if (isFastifyReply(response)) {
    return response
      .code(200)
      .headers(headers)
      .type('text/html; charset=utf-8')
      .send(page);
  }
  (response as ExpressLike).status(200).set(headers).type('html').send(page);
}

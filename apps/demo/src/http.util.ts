import type { Request, Response } from 'express';

/** Whether the client is a browser submitting a form (it prefers HTML to JSON). */
export function prefersHtml(request: Request): boolean {
  return request.accepts(['json', 'html']) === 'html';
}

/** Answers a form post: back to the page for browsers, `body` as JSON for API clients. */
export function formResult(
  request: Request,
  response: Response,
  body: unknown,
  status = 200,
): void {
  if (prefersHtml(request)) {
    response.redirect(303, '/');
    return;
  }
  response.status(status).json(body);
}

/**
 * The body as UTF-8 text, or `undefined` when it is larger than `maxBytes`: reading stops (and
 * the connection is dropped) as soon as the limit is passed, so a hostile endpoint cannot make
 * the demo buffer more than `maxBytes`.
 */
export async function readLimitedText(
  response: globalThis.Response,
  maxBytes: number,
): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

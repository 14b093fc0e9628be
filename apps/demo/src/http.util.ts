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

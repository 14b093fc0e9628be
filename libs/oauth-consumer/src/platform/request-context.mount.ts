import { MiddlewareConsumer, RequestMethod, Type } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { PlatformRequest } from './http-edge.interface';

type Enter = (request: PlatformRequest, next: () => void) => void;

interface FastifyHooks {
  addHook(
    name: 'preHandler',
    hook: (request: PlatformRequest, reply: unknown, done: () => void) => void,
  ): unknown;
}

/**
 * Enters the per-request context on every route, where each platform allows it:
 * - Express: a Nest middleware on every path (it gets Express's request, which guards see too);
 * - Fastify: a `preHandler` hook. Nest middleware on Fastify gets Node's raw request, not the
 *   `FastifyRequest` that guards set `user` on and session plugins put `session` on; a
 *   `preHandler` runs after the body is parsed, right before guards and the handler, so the
 *   `AsyncLocalStorage` context it enters reaches them (an `onRequest` hook's would be lost
 *   across the body stream's events).
 * Apps' own Fastify middleware and `onRequest` hooks run before it, outside the context.
 */
export function mountRequestContext(
  consumer: MiddlewareConsumer,
  adapterHost: HttpAdapterHost | undefined,
  middleware: Type,
  enter: Enter,
): void {
  const adapter = adapterHost?.httpAdapter;
  if (adapter?.getType() === 'fastify') {
    const instance = adapter.getInstance<FastifyHooks>();
    instance.addHook('preHandler', (request, _reply, done) =>
      enter(request, done),
    );
    return;
  }
  consumer
    .apply(middleware)
    .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
}

interface ExpressUse {
  use(
    handler: (
      request: PlatformRequest,
      response: unknown,
      next: () => void,
    ) => void,
  ): unknown;
}

/**
 * Express: enters the context on every route with a plain handler on the Express app itself,
 * mounted where Nest mounts module middleware (after the app's own `app.use` calls, before
 * the routes). Nest's `forRoutes('{*splat}')` matches every request against a wildcard
 * pattern and decodes its parameter; a handler without a path is a prefix check. Returns
 * false when the app is not on Express (Nest middleware is then used).
 */
export function mountEveryExpressRoute(
  adapterHost: HttpAdapterHost | undefined,
  enter: Enter,
): boolean {
  const adapter = adapterHost?.httpAdapter;
  if (adapter?.getType() !== 'express') return false;
  const instance = adapter.getInstance<Partial<ExpressUse>>();
  if (typeof instance?.use !== 'function') return false;
  instance.use((request, _response, next) => enter(request, next));
  return true;
}

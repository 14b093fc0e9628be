import { MiddlewareConsumer, RequestMethod, Type } from '@nestjs/common';
import { UserContextRoutes } from '../oauth-consumer-options.interface';

/** The injection token of the routes the user context is entered on (internal). */
export const USER_CONTEXT_ROUTES = Symbol('nest-dance:user-context-routes');

/** What the core module needs to mount the context: the app's choice and the dance's prefix. */
export interface UserContextMount {
  routes?: UserContextRoutes;
  loginPath: string;
}

/**
 * Applies the context middleware to every route, or to the app's `forRoutes` (minus its
 * `exclude`) plus the dance routes, which always need the current user.
 */
export function applyUserContext(
  consumer: MiddlewareConsumer,
  middleware: Type,
  { routes, loginPath }: UserContextMount,
): void {
  const every = { path: '{*splat}', method: RequestMethod.ALL };
  if (!routes || (!routes.forRoutes?.length && !routes.exclude?.length)) {
    consumer.apply(middleware).forRoutes(every);
    return;
  }
  const chosen = routes.forRoutes?.length
    ? [
        ...routes.forRoutes,
        { path: `${loginPath}/{*splat}`, method: RequestMethod.ALL },
      ]
    : [every];
  const proxy = consumer.apply(middleware);
  (routes.exclude?.length ? proxy.exclude(...routes.exclude) : proxy).forRoutes(
    ...chosen,
  );
}

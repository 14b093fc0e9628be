import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The signed-in demo user, as `req.user` carries it. */
export interface SessionUser {
  id: string;
  name: string;
}

/** What the demo keeps in the express session. */
export interface DemoSession {
  user?: SessionUser;
}

/** The session of a request, typed. */
export function demoSession(request: Request): DemoSession {
  return request.session as unknown as DemoSession;
}

/** The signed-in user of a request, or `undefined`. */
export function currentUser(request: Request): SessionUser | undefined {
  return (request as Request & { user?: SessionUser }).user;
}

/** Sets `req.user` from the session, as Passport's session support would. */
@Injectable()
export class SessionUserMiddleware implements NestMiddleware {
  /** Copies the session's user onto the request. */
  use(request: Request, _response: Response, next: NextFunction): void {
    const user = request.session ? demoSession(request).user : undefined;
    if (user) (request as Request & { user?: SessionUser }).user = user;
    next();
  }
}

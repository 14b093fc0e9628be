import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { signedInUser } from 'nest-dance';

/** The signed-in demo user, as `request.user` carries it. */
export interface SessionUser {
  id: string;
  name: string;
}

/** The signed-in user of a request (Express or Fastify), or `undefined`. */
export function currentUser(request: object): SessionUser | undefined {
  return (request as { user?: SessionUser }).user;
}

/**
 * Sets `request.user` from the session on every route, as Passport's session support would:
 * a global guard, so that it works on both platforms (on Fastify, Nest middleware sees Node's
 * request, not the `FastifyRequest` that carries the session).
 */
@Injectable()
export class SessionUserGuard implements CanActivate {
  /** Copies the session's user (remembered by nest-dance's `signIn`) onto the request. */
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: unknown }>();
    const user = signedInUser<SessionUser>(request);
    if (user) request.user = user;
    return true;
  }
}

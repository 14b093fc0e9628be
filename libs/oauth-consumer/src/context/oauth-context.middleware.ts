import { Injectable, NestMiddleware } from '@nestjs/common';
import { OAuthUserContext } from './oauth-user.context';

/**
 * Enters the per-request user context; installed by OAuthConsumerModule on every route on
 * Express (on Fastify a `preHandler` hook does it, with the `FastifyRequest`).
 * @publicApi
 */
@Injectable()
export class OAuthContextMiddleware implements NestMiddleware {
  constructor(private readonly context: OAuthUserContext) {}

  /** Runs the rest of the request inside the context. */
  use(request: object, _response: unknown, next: () => void): void {
    this.context.runWithRequest(request, next);
  }
}

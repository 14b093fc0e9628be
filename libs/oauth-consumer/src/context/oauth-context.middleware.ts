import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { OAuthUserContext } from './oauth-user.context';

/**
 * Enters the per-request user context; installed by OAuthConsumerModule on every route.
 * @publicApi
 */
@Injectable()
export class OAuthContextMiddleware implements NestMiddleware {
  constructor(private readonly context: OAuthUserContext) {}

  /** Runs the rest of the request inside the context. */
  use(request: Request, _response: Response, next: NextFunction): void {
    this.context.runWithRequest(request, next);
  }
}

import {
  Body,
  Controller,
  Get,
  INestApplication,
  Injectable,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
  Type,
  NestMiddleware,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';

/** A signed-in demo user, as an app's own authentication would put on `req.user`. */
export interface DemoUser {
  id: string;
  name: string;
}

type SessionWithUser = {
  userName?: string;
  /** @fastify/session and @fastify/secure-session: cookie sessions save only what is `set`. */
  set?(key: string, value: unknown): void;
};

/** Signs users in by name into the express session (no passwords: a test fixture). */
@Controller('auth')
export class SignInController {
  @Post('signin')
  signIn(@Req() request: Request, @Body('name') name: string): DemoUser {
    if (!name) throw new UnauthorizedException('name is required');
    const session = request.session as SessionWithUser;
    if (typeof session.set === 'function') session.set('userName', name);
    else session.userName = name;
    return { id: name, name };
  }

  @Post('signout')
  signOut(@Req() request: Request): { signedOut: true } {
    const session = request.session as SessionWithUser;
    if (typeof session.set === 'function') session.set('userName', undefined);
    else delete session.userName;
    return { signedOut: true };
  }

  @Get('me')
  me(@Req() request: Request): DemoUser | null {
    return (request as Request & { user?: DemoUser }).user ?? null;
  }
}

/**
 * Sets `req.user` from the session, as Passport's session strategy would (Express; on Fastify
 * Nest middleware sees Node's request only: `createPlatformApp` adds a hook instead).
 */
@Injectable()
export class SessionUserMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const name = (request.session as SessionWithUser | undefined)?.userName;
    if (name)
      (request as Request & { user?: DemoUser }).user = { id: name, name };
    next();
  }
}

/** Adds express-session (memory store) to an app before it starts. */
export function useTestSession(app: INestApplication): void {
  app.use(
    session({
      secret: 'test-session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
}

/**
 * The module of a fixture app: `imports` (the library's module among them), sign-in by name,
 * `controllers`, and `req.user` set from the session on every route.
 */
export function signedInAppModule(
  imports: NonNullable<ModuleMetadata['imports']>,
  controllers: Type[],
): Type {
  @Module({ imports, controllers: [SignInController, ...controllers] })
  class SignedInAppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(SessionUserMiddleware).forRoutes('{*splat}');
    }
  }
  return SignedInAppModule;
}

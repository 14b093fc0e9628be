import {
  CanActivate,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { currentUser } from './session-user.guard';

/** Answers 401 unless a demo user is signed in. */
@Injectable()
export class SignedInGuard implements CanActivate {
  /** Lets signed-in requests through. */
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<object>();
    if (currentUser(request)) return true;
    throw new UnauthorizedException(
      'Sign in first: POST /auth/signin with a form field "name".',
    );
  }
}

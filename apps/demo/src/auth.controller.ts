import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DemoUsersService } from './demo-users.service';
import { formResult } from './http.util';
import { demoSession } from './session-user.middleware';

/** Demo sign-in by name (no password: this stands in for the app's own authentication). */
@Controller('auth')
export class AuthController {
  constructor(private readonly users: DemoUsersService) {}

  /** `POST /auth/signin` (form field `name`): signs in as that user, creating it. */
  @Post('signin')
  async signIn(
    @Body('name') name: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.users.signIn(name);
    // A new session id on every sign-in: a cookie planted before cannot ride along.
    await new Promise<void>((resolve, reject) =>
      request.session.regenerate((error) =>
        error ? reject(error) : resolve(),
      ),
    );
    demoSession(request).user = { id: user.id, name: user.name };
    formResult(request, response, { id: user.id, name: user.name }, 201);
  }

  /** `POST /auth/signout`: ends the session. */
  @Post('signout')
  async signOut(
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      request.session.destroy((error) => (error ? reject(error) : resolve())),
    );
    formResult(request, response, { signedOut: true });
  }
}

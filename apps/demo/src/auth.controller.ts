import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { signIn, signOut } from 'nest-dance';
import { DemoUsersService } from './demo-users.service';
import { DemoRequest, formResult } from './http.util';

/** Demo sign-in by name (no password: this stands in for the app's own authentication). */
@Controller('auth')
export class AuthController {
  constructor(private readonly users: DemoUsersService) {}

  /** `POST /auth/signin` (form field `name`): signs in as that user, creating it. */
  @Post('signin')
  async signIn(
    @Body('name') name: unknown,
    @Req() request: DemoRequest,
    @Res() response: object,
  ): Promise<void> {
    const user = await this.users.signIn(name);
    // A new session id on every sign-in: a cookie planted before cannot ride along.
    await signIn(request, { id: user.id, name: user.name });
    formResult(request, response, { id: user.id, name: user.name }, 201);
  }

  /** `POST /auth/signout`: ends the session. */
  @Post('signout')
  async signOut(
    @Req() request: DemoRequest,
    @Res() response: object,
  ): Promise<void> {
    await signOut(request);
    formResult(request, response, { signedOut: true });
  }
}

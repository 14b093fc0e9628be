import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import type { Request } from 'express';
import {
  Blueprint,
  BlueprintOptions,
  InjectBlueprint,
  OAuthToken,
  oauth2,
} from 'nest-dance';

/** A blueprint for a provider that is never called (token storage tests only). */
export const githubBlueprint: BlueprintOptions = oauth2({
  name: 'github',
  clientId: 'id',
  clientSecret: 'secret',
  authorizationUrl: 'https://github.example/authorize',
  tokenUrl: 'https://github.example/token',
});

/** The origin fixture apps claim to be reached at. */
export const FIXTURE_PUBLIC_URL = 'http://127.0.0.1:3000';

/**
 * The test's stand-in for the app's authentication: the user named by the `x-user` header
 * (a fixture only: real apps use Passport or their own guard).
 */
export function userFromHeader(request: Request): { id: string } | null {
  const name = request.header('x-user');
  return name ? { id: name } : null;
}

/** Reads, stores and deletes the current user's GitHub token over HTTP. */
@Controller('github-token')
export class GithubTokenController {
  constructor(@InjectBlueprint('github') private readonly github: Blueprint) {}

  @Post()
  async store(@Body() token: OAuthToken): Promise<{ stored: true }> {
    await this.github.setToken(token);
    return { stored: true };
  }

  // A test fixture only: real apps never send a token to the browser.
  @Get()
  async read(): Promise<{ token: OAuthToken | null }> {
    return { token: await this.github.getToken() };
  }

  @Delete()
  async remove(): Promise<{ deleted: true }> {
    await this.github.deleteToken();
    return { deleted: true };
  }
}

import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OAuthConsumerModule, RequireToken } from 'nest-dance';
import { LocalProvider, localBlueprint } from './local-provider.js';
import { TokensController } from './tokens.controller.js';

/** A page only for visitors with a `local` token: the others go to the login route. */
@Controller()
export class ReposController {
  @RequireToken('local')
  @Get('repos')
  repos(): { repos: string[] } {
    return { repos: ['nest-dance'] };
  }
}

/** Tokens in the browser's @fastify/session (the default SessionTokenStorage). */
@Module({})
export class AppModule {
  static register(provider: LocalProvider): DynamicModule {
    return {
      module: AppModule,
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: provider.publicUrl,
          blueprints: [localBlueprint(provider)],
        }),
      ],
      controllers: [TokensController, ReposController],
    };
  }

  static async setUp(app: NestFastifyApplication): Promise<void> {
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: 'consumer-app-session-secret-of-32-chars',
      saveUninitialized: false,
      // The suite talks plain HTTP to 127.0.0.1: a secure cookie would never come back.
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    });
  }
}

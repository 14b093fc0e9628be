import { DynamicModule, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import session from 'express-session';
import { OAuthConsumerModule } from 'nest-dance';
import { LocalProvider, localBlueprint } from './local-provider.js';
import { TokensController } from './tokens.controller.js';

/** Tokens in the browser's express-session (the default SessionTokenStorage). */
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
      controllers: [TokensController],
    };
  }

  static setUp(app: NestExpressApplication): void {
    app.use(
      session({
        secret: 'consumer-app-session-secret-of-32-chars',
        resave: false,
        saveUninitialized: false,
      }),
    );
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MemoryTokenStorage, OAuthConsumerModule } from 'nest-dance';
import { LocalProvider, localBlueprint } from './local-provider.js';
import { TokensController } from './tokens.controller.js';

/** No optional peer at all: tokens in memory, the dance state in a sealed cookie. */
@Module({})
export class AppModule {
  static register(provider: LocalProvider): DynamicModule {
    return {
      module: AppModule,
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: provider.publicUrl,
          blueprints: [localBlueprint(provider)],
          storage: MemoryTokenStorage,
          stateSecret: 'consumer-app-state-secret-of-32-chars!',
        }),
      ],
      controllers: [TokensController],
    };
  }

  static setUp(_app: NestExpressApplication): void {}
}

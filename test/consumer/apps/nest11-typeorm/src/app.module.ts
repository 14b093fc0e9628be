import { CacheModule } from '@nestjs/cache-manager';
import { DynamicModule, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthConsumerModule } from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { LocalProvider, localBlueprint } from './local-provider.js';
import { StoredToken } from './stored-token.entity.js';
import { TokensController } from './tokens.controller.js';

/** Tokens in SQLite through TypeORM, with cache-manager's memory cache in front. */
@Module({})
export class AppModule {
  static register(provider: LocalProvider): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: process.env.DATABASE ?? ':memory:',
          entities: [StoredToken],
          synchronize: true,
        }),
        CacheModule.register({ isGlobal: true }),
        OAuthConsumerModule.forRoot({
          publicUrl: provider.publicUrl,
          blueprints: [localBlueprint(provider)],
          storage: TypeOrmTokenStorage.forEntity(StoredToken),
          cache: true,
          stateSecret: 'consumer-app-state-secret-of-32-chars!',
        }),
      ],
      controllers: [TokensController],
    };
  }

  static setUp(_app: NestExpressApplication): void {}
}

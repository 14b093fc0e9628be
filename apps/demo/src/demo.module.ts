import { CacheModule } from '@nestjs/cache-manager';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import {
  BlueprintOptions,
  OAuthConsumerModule,
  RedisRefreshLock,
} from 'nest-dance';
import { TypeOrmRefreshLock, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { AuthController } from './auth.controller';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService, PROVIDER_TITLES } from './connections.service';
import { demoDataSourceOptions, openDemoDataSource } from './database.util';
import { DemoConfig } from './demo.config';
import { providerTitles } from './demo-blueprints.util';
import { DemoToken } from './demo-token.entity';
import { DemoUser } from './demo-user.entity';
import { DemoUsersService } from './demo-users.service';
import { DEMO_SETUP, PageController } from './page.controller';
import { DemoSetup } from './page.view';
import { SessionUserGuard } from './session-user.guard';

/** The demo app: TypeORM, a cache, nest-dance with every configured provider, and its pages. */
@Module({})
export class DemoModule {
  /** The module for `config`, with the blueprints resolved at start-up (`local` included). */
  static forRoot(
    config: DemoConfig,
    blueprints: BlueprintOptions[],
    setup: DemoSetup,
  ): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            demoDataSourceOptions(config.database, config.tablePrefix),
          dataSourceFactory: (options) => openDemoDataSource(options!),
        }),
        TypeOrmModule.forFeature([DemoUser]),
        CacheModule.register(
          config.redisUrl
            ? {
                isGlobal: true,
                stores: [
                  new Keyv({
                    store: new KeyvRedis(config.redisUrl),
                    namespace: `${config.redisPrefix}cache`,
                  }),
                ],
              }
            : { isGlobal: true },
        ),
        OAuthConsumerModule.forRoot({
          blueprints,
          publicUrl: config.publicUrl,
          // Tokens belong to demo users: refuse to store one for a visitor who is not signed in.
          userRequired: true,
          storage: TypeOrmTokenStorage.forEntity(DemoToken),
          cache: true,
          encryption: config.tokenEncryptionKeys.length
            ? { keys: config.tokenEncryptionKeys }
            : undefined,
          refreshLock:
            config.refreshLock === 'redis'
              ? RedisRefreshLock.forUrl(
                  config.redisUrl!,
                  `${config.redisPrefix}refresh-lock:`,
                )
              : TypeOrmRefreshLock,
          ...(config.tokenEndpointTimeoutMs === undefined
            ? {}
            : { tokenEndpoint: { timeoutMs: config.tokenEndpointTimeoutMs } }),
          refresh: {
            lockTtlMs: config.refreshLockTtlMs,
            background: config.refreshBackground ?? false,
          },
        }),
      ],
      controllers: [PageController, AuthController, ConnectionsController],
      providers: [
        DemoUsersService,
        ConnectionsService,
        { provide: PROVIDER_TITLES, useValue: providerTitles(config) },
        { provide: DEMO_SETUP, useValue: setup },
        // `request.user` from the session on every route (Express and Fastify alike).
        { provide: APP_GUARD, useClass: SessionUserGuard },
      ],
    };
  }
}

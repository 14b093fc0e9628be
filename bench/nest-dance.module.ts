import { Controller, DynamicModule, Get, Module, Req } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Request } from 'express';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oauth2,
} from 'nest-dance';
import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
import type { RedisClientType } from 'redis';
import { BenchToken, REDIS_PREFIX, benchDataSourceOptions } from './bench-env';
import type { SideBySideAppArgs } from './side-by-side.app';

type UserRequest = Request & { user?: { id: string } };

/** The same bench routes as the hand-written app's, through nest-dance. */
@Controller('bench')
class DanceBenchController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get('baseline')
  baseline(@Req() request: UserRequest) {
    return { user: request.user?.id, connected: null };
  }

  /** TypeORM storage behind the module's Redis cache. */
  @Get('token')
  async token(@Req() request: UserRequest) {
    const token = await this.local.getToken();
    return { user: request.user?.id, connected: token !== null };
  }

  /** The same read, for the reference app whose cache is in memory (`cache: true`). */
  @Get('token-db')
  async tokenThroughMemoryCache(@Req() request: UserRequest) {
    const token = await this.local.getToken();
    return { user: request.user?.id, connected: token !== null };
  }

  /** The same read; a due token is refreshed (one refresh at a time per token). */
  @Get('refresh')
  async refresh(@Req() request: UserRequest) {
    const token = await this.local.getToken();
    return { user: request.user?.id, connected: token !== null };
  }
}

/**
 * The nest-dance app of the side-by-side scenario: the dance on the module's routes, tokens in
 * `TypeOrmTokenStorage` on PostgreSQL, read through the module's cache straight in Redis
 * (`cache: { redis: client }`, the app's node-redis client); reference apps leave the cache
 * out, or the database too (`args.storage`).
 */
export function nestDanceModule(
  args: SideBySideAppArgs,
  redis: RedisClientType,
): DynamicModule {
  @Module({
    imports: [
      TypeOrmModule.forRoot(benchDataSourceOptions()),
      ...(args.storage === 'memory-cache'
        ? [CacheModule.register({ isGlobal: true })]
        : []),
      OAuthConsumerModule.forRoot({
        publicUrl: `http://127.0.0.1:${args.port}`,
        storage:
          args.storage === 'memory'
            ? MemoryTokenStorage
            : TypeOrmTokenStorage.forEntity(BenchToken),
        ...(args.storage === undefined
          ? { cache: { redis, keyPrefix: `${REDIS_PREFIX}side-by-side:` } }
          : { cache: args.storage === 'memory-cache' }),
        blueprints: [
          oauth2({
            name: 'local',
            clientId: args.clientId,
            clientSecret: args.clientSecret,
            authorizationUrl: args.authorizationUrl,
            tokenUrl: args.tokenUrl,
            scope: ['profile', 'offline_access'],
          }),
        ],
      }),
    ],
    controllers: [DanceBenchController],
  })
  class NestDanceModule {}
  return { module: NestDanceModule };
}

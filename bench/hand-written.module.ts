import {
  BadGatewayException,
  Controller,
  DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { Strategy } from 'passport-oauth2';
import type { RedisClientType } from 'redis';
import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  Repository,
  Unique,
} from 'typeorm';
import { POSTGRES, REDIS_PREFIX, TABLE_PREFIX } from './bench-env';
import type { SideBySideAppArgs } from './side-by-side.app';

/** The hand-written app's token table: one row per (user, provider), columns as users write them. */
@Entity('hand_token')
@Unique(['userId', 'provider'])
export class HandToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar' })
  userId: string;

  @Column({ type: 'varchar', length: 50 })
  provider: string;

  @Column({ type: 'text' })
  accessToken: string;

  @Column({ type: 'text', nullable: true })
  refreshToken: string | null;

  @Column({ type: 'bigint', nullable: true })
  expiresAt: string | null;
}

type UserRequest = Request & { user?: { id: string } };

/** The hand-written cache's key of a user's token. */
export function handCacheKey(userId: string): string {
  return `${REDIS_PREFIX}hand-token:${userId}:local`;
}

/** The Redis client the hand-written cache uses (a provider, so the module can close it). */
export const HAND_REDIS = Symbol('HAND_REDIS');
const OPTIONS = Symbol('HAND_OPTIONS');

/**
 * What a user writes without nest-dance: passport-oauth2 with `state` and `pkce` (both kept in
 * express-session) through @nestjs/passport, the token upserted in `validate()`.
 */
@Injectable()
class HandOAuthStrategy extends PassportStrategy(Strategy, 'hand', true) {
  constructor(
    @Inject(OPTIONS) options: SideBySideAppArgs,
    @InjectRepository(HandToken)
    private readonly tokens: Repository<HandToken>,
    @Inject(HAND_REDIS) private readonly redis: RedisClientType,
  ) {
    super({
      authorizationURL: options.authorizationUrl,
      tokenURL: options.tokenUrl,
      clientID: options.clientId,
      clientSecret: options.clientSecret,
      callbackURL: `http://127.0.0.1:${options.port}/login/local/authorized`,
      scope: ['profile', 'offline_access'],
      state: true,
      pkce: true,
      passReqToCallback: true,
    });
  }

  async validate(
    request: UserRequest,
    accessToken: string,
    refreshToken: string | undefined,
    params: { expires_in?: number },
    _profile: unknown,
  ): Promise<{ id: string }> {
    const userId = request.user!.id;
    await this.tokens.upsert(
      {
        userId,
        provider: 'local',
        accessToken,
        refreshToken: refreshToken ?? null,
        expiresAt: params.expires_in
          ? String(Math.floor(Date.now() / 1000) + Number(params.expires_in))
          : null,
      },
      ['userId', 'provider'],
    );
    // The cache in front of findOne must not serve the previous token.
    await this.redis.del(handCacheKey(userId));
    return { id: userId };
  }
}

/** The dance routes, as the @nestjs/passport docs write them. */
@Controller('login/local')
class HandLoginController {
  @Get()
  @UseGuards(AuthGuard('hand'))
  login(): void {}

  @Get('authorized')
  @UseGuards(AuthGuard('hand'))
  authorized(@Res() response: Response): void {
    response.redirect('/');
  }
}

/** The same routes as the nest-dance app's, written by hand. */
@Controller('bench')
class HandBenchController {
  constructor(
    @InjectRepository(HandToken)
    private readonly tokens: Repository<HandToken>,
    @Inject(HAND_REDIS) private readonly redis: RedisClientType,
    @Inject(OPTIONS) private readonly options: SideBySideAppArgs,
  ) {}

  @Get('baseline')
  baseline(@Req() request: UserRequest) {
    return { user: request.user?.id, connected: null };
  }

  /** A Redis GET + JSON.parse in front of findOne. */
  @Get('token')
  async token(@Req() request: UserRequest) {
    const userId = request.user!.id;
    const key = handCacheKey(userId);
    const cached = await this.redis.get(key);
    let token = cached === null ? null : (JSON.parse(cached) as HandToken);
    if (!token) {
      token = await this.tokens.findOne({
        where: { userId, provider: 'local' },
      });
      if (token) await this.redis.set(key, JSON.stringify(token), { EX: 300 });
    }
    return { user: userId, connected: token !== null };
  }

  /** No cache: a findOne per request. */
  @Get('token-db')
  async tokenFromDatabase(@Req() request: UserRequest) {
    const userId = request.user!.id;
    const token = await this.tokens.findOne({
      where: { userId, provider: 'local' },
    });
    return { user: userId, connected: token !== null };
  }

  /** The naive refresh: read, check expiry, refresh, save. */
  @Get('refresh')
  async refresh(@Req() request: UserRequest) {
    const userId = request.user!.id;
    const token = await this.tokens.findOne({
      where: { userId, provider: 'local' },
    });
    if (!token) return { user: userId, connected: false };
    if (
      token.expiresAt !== null &&
      Number(token.expiresAt) * 1000 < Date.now() + 30_000
    ) {
      const answer = await fetch(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: token.refreshToken ?? '',
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
        }),
      });
      const body = (await answer.json()) as {
        access_token?: string;
        refresh_token?: string;
        expires_in?: number;
      };
      if (!answer.ok || !body.access_token)
        throw new BadGatewayException('the refresh failed');
      await this.tokens.update(token.id, {
        accessToken: body.access_token,
        refreshToken: body.refresh_token ?? token.refreshToken,
        expiresAt: String(
          Math.floor(Date.now() / 1000) + Number(body.expires_in ?? 3600),
        ),
      });
      await this.redis.del(handCacheKey(userId));
    }
    return { user: userId, connected: true };
  }
}

/** The hand-written app's module, for `args` (the provider's URLs, the port). */
export function handWrittenModule(
  args: SideBySideAppArgs,
  redis: RedisClientType,
): DynamicModule {
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...POSTGRES,
        entityPrefix: TABLE_PREFIX,
        entities: [HandToken],
        synchronize: true,
      }),
      TypeOrmModule.forFeature([HandToken]),
    ],
    controllers: [HandLoginController, HandBenchController],
    providers: [
      HandOAuthStrategy,
      { provide: OPTIONS, useValue: args },
      { provide: HAND_REDIS, useValue: redis },
    ],
  })
  class HandWrittenModule {}
  return { module: HandWrittenModule };
}

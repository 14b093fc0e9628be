import { Entity } from 'typeorm';
import { OAuthTokenEntity } from 'nest-dance/typeorm';
import type { DataSourceOptions } from 'typeorm';

/** The services every scenario talks to, on loopback. */
export const POSTGRES = {
  type: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  username: 'postgres',
  database: 'test',
} as const;
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** The header the bench apps' auth middleware trusts (an API gateway's, say). */
export const USER_HEADER = 'x-bench-user';

/** One id per `npm run bench`, passed to every child in BENCH_RUN: tables and keys are its own. */
export const RUN_ID =
  (process.env.BENCH_RUN ??= `${process.pid.toString(36)}${Date.now().toString(36)}`);
/** Prefix of every table a run creates (dropped at the end). */
export const TABLE_PREFIX = `nd_bench_${RUN_ID}_`;
/** Prefix of every Redis key a run creates (deleted at the end). */
export const REDIS_PREFIX = `nd-bench-${RUN_ID}:`;

/** The bench's token table: the library's base entity, as an app would extend it. */
@Entity('oauth_token')
export class BenchToken extends OAuthTokenEntity {}

/** TypeORM options for the bench's table on PostgreSQL (created when missing). */
export function benchDataSourceOptions(): DataSourceOptions {
  return {
    ...POSTGRES,
    entityPrefix: TABLE_PREFIX,
    entities: [BenchToken],
    synchronize: true,
  };
}

/** A token as a provider returns it, with a refresh token and an hour to live. */
export function sampleToken(user: string) {
  return {
    access_token: `bench-access-${user}-${'x'.repeat(40)}`,
    refresh_token: `bench-refresh-${user}-${'y'.repeat(40)}`,
    token_type: 'Bearer',
    scope: 'openid profile email offline_access',
    expires_in: 3600,
  };
}

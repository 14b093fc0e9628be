import {
  DynamicModule,
  INestApplication,
  NestApplicationOptions,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { USER_HEADER } from './bench-env';

/** The Nest platforms the bench runs its apps on. */
export type BenchPlatform = 'express' | 'fastify';

/** How the report names each platform. */
export const PLATFORM_LABEL: Record<BenchPlatform, string> = {
  express: 'Express',
  fastify: 'Fastify',
};

/**
 * The Nest app of `module` on `platform`: Nest's default (Express) or `FastifyAdapter` with
 * Fastify's defaults. The caller mounts its middleware, hooks and plugins before it listens.
 */
export function createBenchApp(
  module: Type | DynamicModule,
  platform: BenchPlatform,
  options: NestApplicationOptions,
): Promise<INestApplication> {
  return platform === 'fastify'
    ? NestFactory.create<NestFastifyApplication>(
        module,
        new FastifyAdapter(),
        options,
      )
    : NestFactory.create(module, options);
}

/** The Fastify instance under a Nest app made by `createBenchApp(…, 'fastify', …)`. */
export function fastifyOf(app: INestApplication) {
  return (app as NestFastifyApplication).getHttpAdapter().getInstance();
}

/**
 * Fastify's counterpart of the Express apps' auth middleware: an `onRequest` hook that trusts
 * `USER_HEADER` and sets `user` on the FastifyRequest, where nest-dance reads it (Nest
 * middleware on Fastify gets Node's request, which the library never sees).
 */
export function authenticateFromHeaderOnFastify(app: INestApplication): void {
  fastifyOf(app).addHook('onRequest', (request, _reply, done) => {
    const id = request.headers[USER_HEADER];
    if (typeof id === 'string')
      (request as FastifyRequest & { user?: unknown }).user = { id };
    done();
  });
}

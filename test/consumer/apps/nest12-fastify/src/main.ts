// The entry point of the Fastify consumer app (in place of the Express one of shared/src):
// serve.ts starts it and talks to the suite.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { serveOrExit } from './serve.js';

serveOrExit(async (provider) => {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(provider),
    new FastifyAdapter(),
    { logger: ['error', 'warn'] },
  );
  // Who the user is: a header, set by the suite in a Fastify hook (request.user, as an app's
  // sign-in would set it; a real app would use its sign-in).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request) => {
      const user = request.headers['x-user'];
      if (typeof user === 'string') {
        (request as typeof request & { user?: { id: string } }).user = {
          id: user,
        };
      }
    });
  await AppModule.setUp(app);
  return app;
});

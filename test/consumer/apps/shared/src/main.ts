// The entry point of the Express consumer apps: an app outside this repository that installed
// the nest-dance tarball from npm (serve.ts starts it and talks to the suite).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module.js';
import { serveOrExit } from './serve.js';

serveOrExit(async (provider) => {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(provider),
    { logger: ['error', 'warn'] },
  );
  // Who the user is: a header, set by the suite (a real app would use its sign-in).
  app.use((request: Request, _response: Response, next: NextFunction) => {
    const user = request.headers['x-user'];
    if (typeof user === 'string') {
      (request as Request & { user?: { id: string } }).user = { id: user };
    }
    next();
  });
  AppModule.setUp(app);
  return app;
});

// The entry point of every consumer app: an app outside this repository that installed the
// nest-dance tarball from npm. It starts LocalAuthorizationServer from nest-dance/testing
// (unless ISSUER names one already running), then the app on 127.0.0.1:PORT, and answers the
// suite that forked it over IPC: it completes the provider's login page like a user would.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { AppModule } from './app.module.js';
import type { LocalProvider } from './local-provider.js';

interface Command {
  id: number;
  complete?: string;
  stats?: true;
}

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT);
  let local: LocalAuthorizationServer | undefined;
  let provider: LocalProvider;
  if (process.env.ISSUER) {
    provider = {
      issuer: process.env.ISSUER,
      clientId: process.env.CLIENT_ID ?? '',
      clientSecret: process.env.CLIENT_SECRET ?? '',
      publicUrl: `http://127.0.0.1:${port}`,
    };
  } else {
    local = await LocalAuthorizationServer.start({
      redirectUris: [`http://127.0.0.1:${port}/login/local/authorized`],
    });
    provider = {
      issuer: local.issuer,
      clientId: local.clientId,
      clientSecret: local.clientSecret ?? '',
      publicUrl: `http://127.0.0.1:${port}`,
    };
  }

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
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');

  const server = local;
  process.on('message', (command: Command) => {
    void (async () => {
      try {
        if (!server) throw new Error('no LocalAuthorizationServer in this app');
        const result = command.complete
          ? await server.completeAuthorization(command.complete)
          : await server.stats();
        process.send?.({ id: command.id, result });
      } catch (error) {
        process.send?.({ id: command.id, error: (error as Error).message });
      }
    })();
  });
  process.once('SIGTERM', () => {
    void Promise.all([app.close(), server?.stop()]).then(() => process.exit(0));
  });
  process.send?.({ ready: true, issuer: provider.issuer });
}

bootstrap().catch((error: Error) => {
  console.error(
    `consumer app failed to start: ${error.name}: ${error.message}`,
  );
  process.exit(1);
});

// What every consumer app's entry point shares, whatever its platform: it starts
// LocalAuthorizationServer from nest-dance/testing (unless ISSUER names one already running),
// then the app `create` makes on 127.0.0.1:PORT, and answers the suite that forked it over IPC:
// it completes the provider's login page like a user would.
import type { INestApplication } from '@nestjs/common';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import type { LocalProvider } from './local-provider.js';

interface Command {
  id: number;
  complete?: string;
  stats?: true;
}

/** Serves the app `create` makes for the provider, and tells the suite once it listens. */
export async function serveConsumer(
  create: (provider: LocalProvider) => Promise<INestApplication>,
): Promise<void> {
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

  const app = await create(provider);
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

/** Runs `serveConsumer`, and exits with the reason when the app cannot start. */
export function serveOrExit(
  create: (provider: LocalProvider) => Promise<INestApplication>,
): void {
  serveConsumer(create).catch((error: Error) => {
    console.error(
      `consumer app failed to start: ${error.name}: ${error.message}`,
    );
    process.exit(1);
  });
}

import {
  INestApplication,
  LogLevel,
  Logger,
  LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { DemoConfig } from './demo.config';
import {
  LOCAL_PROVIDER,
  describeDatabase,
  localBlueprint,
} from './demo-blueprints.util';
import { DemoModule } from './demo.module';
import { DemoSetup } from './page.view';
import { createDemoSessions } from './session.util';

/** Options of `createDemoApp` that are not configuration. */
export interface DemoAppOptions {
  /** Nest's logger: `false` for silence (tests), log levels, or a logger. */
  logger?: LoggerService | LogLevel[] | false;
  /** Resolves the relative SQLite path in the footer (default `process.cwd()`). */
  cwd?: string;
}

/** A created demo app: call `listen()` to serve it and `close()` to stop everything it started. */
export interface DemoApp {
  /** The Nest application. */
  app: INestApplication;
  /** The configuration it was made with. */
  config: DemoConfig;
  /** The built-in LocalAuthorizationServer, when `LOCAL_AUTH_SERVER` is `builtin`. */
  local?: LocalAuthorizationServer;
  /** The `local` provider's issuer (built-in or external), if any. */
  localIssuer?: string;
  /** Listens on `config.host:config.port`; resolves to `config.publicUrl`. */
  listen(): Promise<string>;
  /** Closes the app, the session store and the built-in authorization server. */
  close(): Promise<void>;
}

/**
 * Creates the demo app for `config` (see `loadDemoConfig`): starts the built-in
 * LocalAuthorizationServer when configured, connects the database, Redis and sessions, and
 * registers every provider. Tests use it to run the demo in-process.
 */
export async function createDemoApp(
  config: DemoConfig,
  options: DemoAppOptions = {},
): Promise<DemoApp> {
  const logger = new Logger('Demo');
  if (options.logger !== false) {
    for (const warning of config.warnings) logger.warn(warning);
  }
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: Error) =>
        logger.error(`Stopping the demo: ${error.message}`),
      );
    }
  };
  try {
    let local: LocalAuthorizationServer | undefined;
    let localIssuer: string | undefined;
    const blueprints = config.providers.map((provider) => provider.blueprint);
    if (config.local.mode === 'builtin') {
      local = await LocalAuthorizationServer.start({
        port: config.local.port,
        interactive: true,
        redirectUris: [
          `${config.publicUrl}/login/${LOCAL_PROVIDER}/authorized`,
        ],
      });
      const started = local;
      cleanups.push(() => started.stop());
      localIssuer = local.issuer;
      blueprints.unshift(
        localBlueprint(local.issuer, local.clientId, local.clientSecret!),
      );
    } else if (config.local.mode === 'external') {
      localIssuer = config.local.issuer;
      blueprints.unshift(
        localBlueprint(
          config.local.issuer,
          config.local.clientId,
          config.local.clientSecret,
        ),
      );
    }

    const sessions = await createDemoSessions(config);
    cleanups.push(() => sessions.close());
    const setup: DemoSetup = {
      database: describeDatabase(config.database, options.cwd ?? process.cwd()),
      tokensAtRest: config.tokenEncryptionKeys.length
        ? 'encrypted (AES-256-GCM)'
        : 'plain',
      cache: config.redisUrl ? 'Redis' : 'in memory',
      sessions: sessions.description,
      localIssuer,
    };
    const module = DemoModule.forRoot(config, blueprints, setup);
    const appOptions = { logger: options.logger, abortOnError: false };
    const app: INestApplication =
      config.platform === 'fastify'
        ? await NestFactory.create(
            module,
            // Behind an https proxy, Fastify must trust it to see the request as https.
            new FastifyAdapter({
              trustProxy: config.publicUrl.startsWith('https:'),
            }),
            appOptions,
          )
        : await NestFactory.create(module, appOptions);
    cleanups.push(() => app.close());
    await sessions.mount(app);

    return {
      app,
      config,
      local,
      localIssuer,
      listen: async () => {
        try {
          await app.listen(config.port, config.host);
        } catch (error) {
          const code = (error as { code?: string }).code;
          throw new Error(
            code === 'EADDRINUSE'
              ? `Port ${config.port} on ${config.host} is in use: stop what runs there or set PORT to another port.`
              : `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
          );
        }
        return config.publicUrl;
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnModuleInit,
  Optional,
  Provider,
  Type,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { Blueprint } from './blueprint/blueprint';
import { createBlueprintRegistry } from './blueprint/blueprint.factory';
import { BlueprintRegistry } from './blueprint/blueprint.registry';
import { getBlueprintRequests } from './blueprint/inject-blueprint.decorator';
import { OAuthConnections } from './connections/oauth-connections.service';
import { OAuthContextMiddleware } from './context/oauth-context.middleware';
import { OAuthUserContext } from './context/oauth-user.context';
import { HttpPlatform } from './platform/http-platform.service';
import {
  mountEveryExpressRoute,
  mountRequestContext,
} from './platform/request-context.mount';
import {
  USER_CONTEXT_ROUTES,
  UserContextMount,
  applyUserContext,
} from './context/user-context-routes.util';
import { InvalidOptionsError } from './errors/invalid-options.error';
import { UnknownBlueprintError } from './errors/unknown-blueprint.error';
import {
  DANCE_ROUTES,
  DanceRoutes,
  normalizeLoginPath,
} from './dance/dance-routes.interface';
import { createDanceController } from './dance/dance.controller';
import { DanceService } from './dance/dance.service';
import { OAuthEvents } from './dance/oauth.events';
import {
  OAuthConsumerModuleExtras,
  ProviderBinding,
} from './oauth-consumer-options.interface';
import { InProcessRefreshLock } from './refresh/in-process-refresh.lock';
import { REFRESH_LOCK } from './refresh/refresh-lock.constants';
import { RefreshLock } from './refresh/refresh-lock.interface';
import { TokenRefresher } from './refresh/token-refresher';
import { BackgroundRefresh } from './refresh/background-refresh.service';
import { TOKEN_STORAGE, getBlueprintToken } from './oauth-consumer.constants';
import {
  ConfigurableOAuthConsumerModule,
  OAUTH_CONSUMER_OPTIONS,
  OAuthConsumerAsyncOptions,
  OAuthConsumerRootOptions,
} from './oauth-consumer.module-definition';
import { SessionTokenStorage } from './storage/session-token.storage';
import { TokenStorage } from './storage/token-storage.interface';

/**
 * The global core behind `OAuthConsumerModule`: options, user context, storage, blueprints.
 * Apps import the facade, not this.
 */
@Global()
@Module({})
export class OAuthConsumerCoreModule
  extends ConfigurableOAuthConsumerModule
  implements NestModule, OnModuleInit
{
  /** The core module for static options. */
  static override forRoot(options: OAuthConsumerRootOptions): DynamicModule {
    const names = (options.blueprints ?? []).map((b) => b.name);
    return withCoreProviders(super.forRoot(options), options, names);
  }

  /** The core module for options made by a factory. */
  static override forRootAsync(
    options: OAuthConsumerAsyncOptions,
  ): DynamicModule {
    return withCoreProviders(super.forRootAsync(options), options, []);
  }

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: BlueprintRegistry,
    @Inject(USER_CONTEXT_ROUTES)
    private readonly contextMount: UserContextMount,
    private readonly userContext: OAuthUserContext,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /** Enters the user context (on every route, or `userContext`'s), before guards and handlers run. */
  configure(consumer: MiddlewareConsumer): void {
    // Fastify: a preHandler hook on every route, with the FastifyRequest guards and session
    // plugins decorate (Nest middleware there sees Node's request); `userContext` routes
    // limit the Express middleware only.
    if (this.adapterHost?.httpAdapter?.getType() === 'fastify') {
      mountRequestContext(
        consumer,
        this.adapterHost,
        OAuthContextMiddleware,
        (request, next) => this.userContext.runWithRequest(request, next),
      );
      const { routes } = this.contextMount;
      if (routes?.forRoutes?.length || routes?.exclude?.length) {
        new Logger('nest-dance').warn(
          'userContext { forRoutes, exclude } limits the Express middleware only: on Fastify the user ' +
            'context is entered on every route (a preHandler hook, a few microseconds a request). ' +
            'Remove the option, or run the app on Express to limit it.',
        );
      }
      return;
    }
    const { routes } = this.contextMount;
    const everyRoute = !routes?.forRoutes?.length && !routes?.exclude?.length;
    if (
      everyRoute &&
      mountEveryExpressRoute(this.adapterHost, (request, next) =>
        this.userContext.runWithRequest(request, next),
      )
    )
      return;
    applyUserContext(consumer, OAuthContextMiddleware, this.contextMount);
  }

  /**
   * Fails start-up when a class in this app injects a blueprint that is not registered, or
   * when the app binds TOKEN_STORAGE in a module of its own (nest-dance would never use it).
   */
  onModuleInit(): void {
    assertNoStrayTokenStorage(this.moduleRef);
    for (const { name, requestedBy } of getBlueprintRequests()) {
      if (this.registry.has(name) || !this.isInApp(requestedBy as Type))
        continue;
      throw new UnknownBlueprintError(
        name,
        this.registry.names(),
        (requestedBy as Type).name,
      );
    }
  }

  private isInApp(type: Type): boolean {
    try {
      this.moduleRef.get(type, { strict: false });
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * `providers: [{ provide: TOKEN_STORAGE, useClass: MyStorage }]` in an app module makes a
 * second storage that only that module sees; blueprints keep the module's own. Say how to bind it.
 */
function assertNoStrayTokenStorage(moduleRef: ModuleRef): void {
  const own = moduleRef.get(TOKEN_STORAGE);
  for (const [token, name] of [
    [TOKEN_STORAGE, 'TOKEN_STORAGE'],
    [TokenStorage, 'TokenStorage'],
  ] as const) {
    const stray = moduleRef
      .get<unknown, unknown>(token, { strict: false, each: true })
      .find((instance) => instance !== own && instance != null);
    if (stray === undefined) continue;
    const storage = (stray as object).constructor.name;
    throw new InvalidOptionsError(
      `A provider of ${name} outside OAuthConsumerModule (${storage}) is never used by nest-dance: ` +
        `remove it and bind the storage with OAuthConsumerModule.forRoot({ storage: ${storage} }) ` +
        "(or a blueprint's own storage option; in tests, overrideProvider(TOKEN_STORAGE)).",
    );
  }
}

function withCoreProviders(
  definition: DynamicModule,
  extras: OAuthConsumerModuleExtras,
  staticNames: readonly string[],
): DynamicModule {
  const names = new Set([
    ...staticNames,
    ...getBlueprintRequests().map((r) => r.name),
  ]);
  const routes: DanceRoutes = {
    loginPath: normalizeLoginPath(extras.loginPath),
  };
  const providers: Provider[] = [
    OAuthUserContext,
    OAuthContextMiddleware,
    HttpPlatform,
    OAuthEvents,
    DanceService,
    { provide: DANCE_ROUTES, useValue: routes },
    {
      provide: USER_CONTEXT_ROUTES,
      useValue: { routes: extras.userContext, loginPath: routes.loginPath },
    },
    bindingProvider(TOKEN_STORAGE, extras.storage, SessionTokenStorage),
    { provide: TokenStorage, useExisting: TOKEN_STORAGE },
    bindingProvider(REFRESH_LOCK, extras.refreshLock, InProcessRefreshLock),
    { provide: RefreshLock, useExisting: REFRESH_LOCK },
    TokenRefresher,
    OAuthConnections,
    BackgroundRefresh,
    {
      provide: BlueprintRegistry,
      useFactory: createBlueprintRegistry,
      inject: [
        OAUTH_CONSUMER_OPTIONS,
        TOKEN_STORAGE,
        OAuthUserContext,
        ModuleRef,
        DANCE_ROUTES,
        TokenRefresher,
      ],
    },
    ...[...names].map(blueprintProvider),
  ];
  return {
    ...definition,
    global: true,
    controllers: [createDanceController(routes.loginPath)],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      HttpPlatform,
      OAuthEvents,
      DanceService,
      OAUTH_CONSUMER_OPTIONS,
      OAuthUserContext,
      TOKEN_STORAGE,
      TokenStorage,
      REFRESH_LOCK,
      RefreshLock,
      TokenRefresher,
      OAuthConnections,
      BlueprintRegistry,
      ...[...names].map(getBlueprintToken),
    ],
  };
}

/** Binds `token` to a class (`useClass`) or a provider spec, with a default class. */
function bindingProvider<T>(
  token: symbol,
  binding: ProviderBinding<T> | undefined,
  defaultClass: Type<T>,
): Provider {
  if (binding === undefined) return { provide: token, useClass: defaultClass };
  if (typeof binding === 'function')
    return { provide: token, useClass: binding };
  return { ...binding, provide: token } as Provider;
}

/** A blueprint by token; names that are not registered are reported by `onModuleInit`. */
function blueprintProvider(name: string): Provider {
  return {
    provide: getBlueprintToken(name),
    useFactory: (registry: BlueprintRegistry): Blueprint | undefined =>
      registry.has(name) ? registry.get(name) : undefined,
    inject: [BlueprintRegistry],
  };
}

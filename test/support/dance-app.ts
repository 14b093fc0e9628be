import { Controller, Get, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  Blueprint,
  BlueprintOptions,
  BlueprintRegistry,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthConsumerModuleOptions,
  TOKEN_STORAGE,
  TokenStorage,
  RequireToken,
  oauth2,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import request from 'supertest';
import { freePort } from './free-port';
import { signedInAppModule } from './session-app';
import { TestPlatform, TestSession, createPlatformApp } from './platform-app';

/** A small app for dance tests: sign-in by name, the dance routes, and a page to land on. */
export interface DanceApp {
  app: INestApplication;
  /** The app's origin, e.g. http://127.0.0.1:40123. */
  url: string;
  registry: BlueprintRegistry;
  storage: TokenStorage;
  blueprint(name?: string): Blueprint;
  /** A browser: an agent with its own cookie jar. */
  browser(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/** Options of a dance test app. */
export interface DanceAppOptions extends Partial<OAuthConsumerModuleOptions> {
  /**
   * The session (default true: server-side, express-session or @fastify/session); false runs
   * the cookie-state path; `'cookie'` a cookie session (cookie-session, @fastify/secure-session).
   */
  session?: boolean | TestSession;
  /** The Nest platform (default `express`). */
  platform?: TestPlatform;
  storage?: Type<TokenStorage>;
  loginPath?: string;
  /** More controllers for the app, beside the landing page. */
  controllers?: Type[];
}

@Controller()
class LandingController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get('landing')
  async landing(): Promise<{ connected: boolean }> {
    return { connected: await this.local.isAuthorized() };
  }

  /** Calls the provider's protected API with the current user's token (refreshing when due). */
  @Get('provider-user')
  @RequireToken('local')
  providerUser(): Promise<unknown> {
    return this.local.fetchJson('/api/user');
  }
}

/** The blueprint of a LocalAuthorizationServer, as an app would configure it by hand. */
export function localBlueprint(
  server: LocalAuthorizationServer,
  extra: Partial<BlueprintOptions> = {},
): BlueprintOptions {
  return oauth2({
    name: 'local',
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    authorizationUrl: server.endpoints.authorization,
    tokenUrl: server.endpoints.token,
    revocationUrl: server.endpoints.revocation,
    userInfoUrl: server.endpoints.userinfo,
    baseUrl: server.issuer,
    issuer: server.issuer,
    scope: ['openid', 'profile', 'email', 'offline_access'],
    authorizationParams: { prompt: 'consent' },
    ...extra,
  });
}

/** Starts a dance app listening on 127.0.0.1 with the given blueprints (default: `local`). */
export async function startDanceApp(
  server: LocalAuthorizationServer,
  options: DanceAppOptions = {},
): Promise<DanceApp> {
  const {
    session = true,
    platform = 'express',
    storage = MemoryTokenStorage,
    loginPath,
    controllers = [],
    ...moduleOptions
  } = options;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const blueprints = moduleOptions.blueprints ?? [localBlueprint(server)];
  for (const blueprint of blueprints) {
    if (!blueprint.redirectUrl) {
      await server.registerClient({
        clientId: blueprint.clientId,
        clientSecret: blueprint.clientSecret,
        redirectUris: [
          `${url}${loginPath ?? '/login'}/${blueprint.name}/authorized`,
        ],
      });
    }
  }

  const DanceAppModule = signedInAppModule(
    [
      OAuthConsumerModule.forRoot({
        publicUrl: url,
        storage,
        loginPath,
        ...moduleOptions,
        blueprints,
      }),
    ],
    [LandingController, ...controllers],
  );

  const moduleRef = await Test.createTestingModule({
    imports: [DanceAppModule],
  }).compile();
  const { app } = await createPlatformApp(moduleRef, {
    platform,
    session: session === true ? 'server' : session === false ? 'none' : session,
  });
  await app.listen(port, '127.0.0.1');
  const registry = app.get(BlueprintRegistry);
  return {
    app,
    url,
    registry,
    storage: app.get(TOKEN_STORAGE),
    blueprint: (name = 'local') => registry.get(name),
    browser: () => request.agent(url),
    close: () => app.close(),
  };
}

/** What one walk through the dance saw. */
export interface DanceWalk {
  /** The login route's redirect to the provider. */
  authorizationUrl: URL;
  /** The provider's redirect back to the app (code or error, state, iss). */
  callbackUrl: URL;
  /** The app's answer to the callback. */
  response: request.Response;
}

/** Walks a browser through the whole dance: login route, provider (scripted), callback. */
export async function walkDance(
  browser: ReturnType<typeof request.agent>,
  server: LocalAuthorizationServer,
  options: {
    user?: string;
    next?: string;
    approve?: boolean;
    blueprint?: string;
    loginPath?: string;
  } = {},
): Promise<DanceWalk> {
  const { blueprint = 'local', loginPath = '/login' } = options;
  const query =
    options.next === undefined
      ? ''
      : `?next=${encodeURIComponent(options.next)}`;
  const start = await browser
    .get(`${loginPath}/${blueprint}${query}`)
    .expect(302);
  const authorizationUrl = new URL(start.headers.location);
  const callbackUrl = new URL(
    await server.completeAuthorization(authorizationUrl.toString(), {
      user: options.user,
      approve: options.approve,
    }),
  );
  const response = await browser.get(
    `${callbackUrl.pathname}${callbackUrl.search}`,
  );
  return { authorizationUrl, callbackUrl, response };
}

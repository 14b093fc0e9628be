import { generateKeyPairSync } from 'node:crypto';
import {
  Controller,
  Get,
  INestApplication,
  Param,
  Query,
  Type,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  BlueprintOptions,
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuth1BlueprintOptions,
  OAuthConsumerModule,
  OAuthConsumerModuleOptions,
  TOKEN_STORAGE,
  TokenStorage,
  oauth1,
} from 'nest-dance';
import request from 'supertest';
import { freePort } from '../../support/free-port';
import { signedInAppModule } from '../../support/session-app';
import { TestPlatform, createPlatformApp } from '../../support/platform-app';
import { OAuth1Provider } from './oauth1-provider';

/** An RSA key pair made for one test run (PEM, PKCS#8 private, SPKI public). */
export function rsaKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** An `oauth1()` blueprint for the test provider, registered there as a consumer. */
export function providerBlueprint(
  provider: OAuth1Provider,
  method: 'HMAC-SHA1' | 'RSA-SHA1',
  extra: Partial<OAuth1BlueprintOptions> = {},
  keys = rsaKeyPair(),
): BlueprintOptions {
  const consumerKey = `consumer-${method.toLowerCase()}`;
  const consumerSecret = 'kd94hf93k423kf44+/=';
  provider.register(
    method === 'HMAC-SHA1'
      ? { key: consumerKey, method, secret: consumerSecret }
      : { key: consumerKey, method, publicKey: keys.publicKey },
  );
  return oauth1({
    name: 'acme',
    consumerKey,
    ...(method === 'HMAC-SHA1'
      ? { consumerSecret }
      : { rsaPrivateKey: keys.privateKey }),
    signatureMethod: method,
    requestTokenUrl: provider.endpoint('requestToken'),
    authorizationUrl: provider.endpoint('authorize'),
    accessTokenUrl: provider.endpoint('accessToken'),
    baseUrl: `${provider.url}/rest/api/2/`,
    ...extra,
  });
}

/** A small app for OAuth 1.0a tests: sign-in by name, the dance routes, a signed API call. */
export interface OAuth1App {
  app: INestApplication;
  /** The app's origin, e.g. http://127.0.0.1:40123. */
  url: string;
  registry: BlueprintRegistry;
  storage: TokenStorage;
  /** A browser: an agent with its own cookie jar. */
  browser(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/** Options of an OAuth 1.0a test app. */
export interface OAuth1AppOptions extends Partial<OAuthConsumerModuleOptions> {
  /** Add a server-side session (default true); false runs the sealed-cookie path. */
  session?: boolean;
  /** The Nest platform (default `express`). */
  platform?: TestPlatform;
  storage?: Type<TokenStorage>;
}

/** Starts an app on 127.0.0.1 with the given blueprints (each reachable at /api/{name}). */
export async function startOAuth1App(
  options: OAuth1AppOptions,
): Promise<OAuth1App> {
  const {
    session = true,
    platform = 'express',
    storage = MemoryTokenStorage,
    ...rest
  } = options;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  @Controller()
  class ApiController {
    constructor(private readonly registry: BlueprintRegistry) {}

    /** Whether the current user has a token for blueprint `name`. */
    @Get('api/:name/connected')
    async connected(
      @Param('name') name: string,
    ): Promise<{ connected: boolean }> {
      return { connected: await this.registry.get(name).isAuthorized() };
    }

    /** Calls `{baseUrl}/echo` of blueprint `name` with the current user's token. */
    @Get('api/:name/echo')
    echo(
      @Param('name') name: string,
      @Query() params: Record<string, string>,
    ): Promise<unknown> {
      // encodeURIComponent, not URLSearchParams: a space must travel as %20, not '+'.
      const search = Object.entries(params)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
      return this.registry.get(name).fetchJson(`echo?${search}`);
    }
  }

  const OAuth1AppModule = signedInAppModule(
    [
      OAuthConsumerModule.forRoot({
        publicUrl: url,
        storage,
        blueprints: [],
        ...rest,
      }),
    ],
    [ApiController],
  );

  const moduleRef = await Test.createTestingModule({
    imports: [OAuth1AppModule],
  }).compile();
  const { app } = await createPlatformApp(moduleRef, {
    platform,
    session: session ? 'server' : 'none',
  });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    url,
    registry: app.get(BlueprintRegistry),
    storage: app.get(TOKEN_STORAGE),
    browser: () => request.agent(url),
    close: () => app.close(),
  };
}

/** What one walk through the OAuth 1.0a dance saw. */
export interface OAuth1Walk {
  /** The login route's redirect to the provider's authorization page. */
  authorizationUrl: URL;
  /** The provider's redirect back to the app. */
  callbackUrl: URL;
  /** The app's answer to the callback. */
  response: request.Response;
}

/** Walks a browser through the dance: login route, provider (scripted approval), callback. */
export async function walkOAuth1Dance(
  browser: ReturnType<typeof request.agent>,
  provider: OAuth1Provider,
  options: {
    blueprint?: string;
    user?: string;
    approve?: boolean;
    next?: string;
  } = {},
): Promise<OAuth1Walk> {
  const { blueprint = 'acme' } = options;
  const query =
    options.next === undefined
      ? ''
      : `?next=${encodeURIComponent(options.next)}`;
  const start = await browser.get(`/login/${blueprint}${query}`).expect(302);
  const authorizationUrl = new URL(start.headers.location);
  const callbackUrl = await provider.authorize(authorizationUrl.toString(), {
    user: options.user,
    approve: options.approve,
  });
  const response = await browser.get(
    `${callbackUrl.pathname}${callbackUrl.search}`,
  );
  return { authorizationUrl, callbackUrl, response };
}

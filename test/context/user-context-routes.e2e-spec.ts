import { AsyncLocalStorage } from 'node:async_hooks';
import { Controller, Get, INestApplication, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthUserContext,
  UserContextRoutes,
  oauth2,
} from 'nest-dance';
import request from 'supertest';

@Controller()
class ProbeController {
  constructor(
    @InjectBlueprint('local') private readonly local: Blueprint,
    private readonly context: OAuthUserContext,
  ) {}

  /** Whether this route runs inside the user context, and whose id it sees. */
  @Get(['api/probe', 'health', 'other'])
  probe() {
    return {
      inContext: this.context.request !== undefined,
      userId: this.context.getUserId(),
    };
  }

  @Get('api/seed')
  async seed(@Req() req: Request & { user?: { id: string } }) {
    await this.local.setToken({ access_token: 'a', token_type: 'Bearer' });
    return { seeded: req.user?.id };
  }

  @Get('api/token')
  async token() {
    return { connected: (await this.local.getToken()) !== null };
  }
}

async function appWith(
  userContext: UserContextRoutes | undefined,
): Promise<INestApplication> {
  @Module({
    imports: [
      OAuthConsumerModule.forRoot({
        publicUrl: 'http://127.0.0.1',
        storage: MemoryTokenStorage,
        userContext,
        blueprints: [
          oauth2({
            name: 'local',
            clientId: 'id',
            clientSecret: 'secret',
            authorizationUrl: 'http://127.0.0.1:9/authorize',
            tokenUrl: 'http://127.0.0.1:9/token',
          }),
        ],
      }),
    ],
    controllers: [ProbeController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(
    (req: Request & { user?: unknown }, _res: Response, next: NextFunction) => {
      const id = req.headers['x-user'];
      if (typeof id === 'string') req.user = { id };
      next();
    },
  );
  app.use(
    session({
      secret: 'user-context-routes-secret-0123456789',
      resave: false,
      saveUninitialized: false,
    }),
  );
  await app.init();
  return app;
}

describe('userContext: entering the user context on chosen routes only', () => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));
  const start = async (routes?: UserContextRoutes) => {
    const app = await appWith(routes);
    apps.push(app);
    return request(app.getHttpServer());
  };

  it('covers every route by default', async () => {
    const http = await start();
    for (const path of ['/api/probe', '/health', '/other'])
      expect((await http.get(path).set('x-user', 'ann')).body).toEqual({
        inContext: true,
        userId: 'ann',
      });
  });

  it('with forRoutes, enters it there and on the dance routes only', async () => {
    const http = await start({ forRoutes: ['api/{*splat}'] });
    expect((await http.get('/api/probe').set('x-user', 'ann')).body).toEqual({
      inContext: true,
      userId: 'ann',
    });
    expect((await http.get('/other').set('x-user', 'ann')).body).toEqual({
      inContext: false,
      userId: null,
    });
    await http.get('/api/seed').set('x-user', 'ann').expect(200);
    expect((await http.get('/api/token').set('x-user', 'ann')).body).toEqual({
      connected: true,
    });
    // The dance still knows who is logging in: it starts (302 to the provider).
    const login = await http.get('/login/local').set('x-user', 'ann');
    expect(login.status).toBe(302);
    expect(login.headers.location).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/authorize\?/,
    );
  });

  it('with exclude, leaves those routes out', async () => {
    const http = await start({ exclude: ['health'] });
    expect((await http.get('/health').set('x-user', 'ann')).body).toEqual({
      inContext: false,
      userId: null,
    });
    expect((await http.get('/other').set('x-user', 'ann')).body).toEqual({
      inContext: true,
      userId: 'ann',
    });
  });

  it('runs on one AsyncLocalStorage: a token write holding its lock enters no second one', async () => {
    // On Node 20 and 22 each enabled AsyncLocalStorage costs every promise of the process a
    // copy of its store, for the rest of the process's life.
    const http = await start();
    const entered = new Set<AsyncLocalStorage<unknown>>();
    const original = AsyncLocalStorage.prototype.run;
    const run = jest
      .spyOn(AsyncLocalStorage.prototype, 'run')
      .mockImplementation(function (
        this: AsyncLocalStorage<unknown>,
        ...args: Parameters<typeof original>
      ) {
        entered.add(this);
        return original.apply(this, args);
      });
    try {
      await http.get('/api/seed').set('x-user', 'bea').expect(200);
      expect((await http.get('/api/token').set('x-user', 'bea')).body).toEqual({
        connected: true,
      });
    } finally {
      run.mockRestore();
    }
    expect(entered.size).toBe(1);
  });
});

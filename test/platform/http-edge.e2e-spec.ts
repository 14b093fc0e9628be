import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  INestApplication,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpPlatform } from '../../libs/oauth-consumer/src/platform/http-platform.service';
import { mountRequestContext } from '../../libs/oauth-consumer/src/platform/request-context.mount';
import {
  signIn,
  signedInUser,
  signOut,
} from '../../libs/oauth-consumer/src/platform/sign-in.util';
import {
  TEST_PLATFORMS,
  TestPlatform,
  TestSession,
  createPlatformApp,
} from '../support/platform-app';

const frames = new AsyncLocalStorage<{ request: unknown }>();

@Injectable()
class EnterMiddleware implements NestMiddleware {
  use(req: unknown, _res: unknown, next: () => void): void {
    frames.run({ request: req }, next);
  }
}

/** Sets `request.user` the way an AuthGuard does: after middleware, on the platform's request. */
@Injectable()
class HeaderUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    const name = req.headers['x-user'];
    if (name) req.user = { id: name };
    return true;
  }
}

@Controller('edge')
class EdgeController {
  constructor(private readonly platform: HttpPlatform) {}

  @Get('cookie')
  cookie(@Req() req: unknown, @Res() res: unknown): void {
    const exchange = this.platform.exchange(req, res);
    const options = {
      path: '/edge',
      secure: false,
      sameSite: 'lax' as const,
    };
    exchange.setCookie('one', 'v/1', { ...options, maxAgeMs: 60_000 });
    exchange.clearCookie('two', options);
    exchange.setHeader('Cache-Control', 'no-store');
    exchange.json(200, {
      seen: exchange.cookie('seen') ?? null,
      query: exchange.query(),
      platform: exchange.platform,
    });
  }

  @Get('redirect')
  redirect(@Req() req: unknown, @Res() res: unknown): void {
    this.platform.exchange(req, res).redirect('/landing?x=1');
  }

  @Get('page')
  page(@Req() req: unknown, @Res() res: unknown): void {
    const exchange = this.platform.exchange(req, res);
    if (exchange.accepts(['html', 'json']) === 'json')
      return exchange.json(418, { teapot: true });
    exchange.html(418, '<p>teapot</p>');
  }

  @Post('session')
  async write(
    @Req() req: unknown,
    @Res() res: unknown,
    @Body('value') value: string,
  ): Promise<void> {
    const exchange = this.platform.exchange(req, res);
    const session = exchange.session()!;
    session.set('value', value);
    exchange.json(201, { kind: session.kind, id: session.id ?? null });
  }

  @Get('session')
  read(@Req() req: unknown, @Res() res: unknown): void {
    const exchange = this.platform.exchange(req, res);
    const session = exchange.session();
    exchange.json(200, {
      value: session?.get('value') ?? null,
      id: session?.id ?? null,
      user: signedInUser(req) ?? null,
    });
  }

  @Post('signin')
  async signIn(@Req() req: unknown, @Body('name') name: string) {
    await signIn(req, { id: name }, { keep: ['value'] });
    return { user: (req as { user: unknown }).user };
  }

  @Post('signout')
  async signOut(@Req() req: unknown) {
    await signOut(req);
    return { user: signedInUser(req) ?? null };
  }

  /** What the per-request context holds once guards ran: the request guards saw. */
  @Post('context')
  @UseGuards(HeaderUserGuard)
  async context(@Req() req: unknown, @Body() body: unknown) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const frame = frames.getStore();
    return {
      same: frame?.request === req,
      user: (frame?.request as { user?: unknown } | undefined)?.user ?? null,
      body,
    };
  }
}

@Module({ controllers: [EdgeController], providers: [HttpPlatform] })
class EdgeModule implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  configure(consumer: MiddlewareConsumer): void {
    mountRequestContext(
      consumer,
      this.adapterHost,
      EnterMiddleware,
      (req, next) => frames.run({ request: req }, next),
    );
  }
}

async function start(
  platform: TestPlatform,
  session: TestSession = 'server',
): Promise<{ app: INestApplication; agent: ReturnType<typeof request.agent> }> {
  const moduleRef = await Test.createTestingModule({
    imports: [EdgeModule],
  }).compile();
  const { app } = await createPlatformApp(moduleRef, { platform, session });
  await app.init();
  if (platform === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return { app, agent: request.agent(app.getHttpServer()) };
}

describe.each(TEST_PLATFORMS)('the HTTP edge on %s', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('tells the platform through HttpAdapterHost', async () => {
    ({ app } = await start(platform));
    expect(app.get(HttpPlatform).name).toBe(platform);
  });

  it('reads cookies and the query, writes Set-Cookie (set and clear) and headers', async () => {
    let agent;
    ({ app, agent } = await start(platform, 'none'));
    const response = await agent
      .get('/edge/cookie?a=1&b=two')
      .set('Cookie', 'seen=yes%21')
      .expect(200);
    expect(response.body).toEqual({
      seen: 'yes!',
      query: { a: '1', b: 'two' },
      platform,
    });
    expect(response.headers['cache-control']).toBe('no-store');
    const cookies = response.headers['set-cookie'] as unknown as string[];
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(
      /^one=v%2F1; Path=\/edge; Max-Age=60; Expires=.+; HttpOnly; SameSite=Lax$/,
    );
    expect(cookies[1]).toMatch(/^two=; Path=\/edge; Max-Age=0; /);
  });

  it('redirects with 302 and the exact location', async () => {
    let agent;
    ({ app, agent } = await start(platform, 'none'));
    const response = await agent.get('/edge/redirect').expect(302);
    expect(response.headers.location).toBe('/landing?x=1');
  });

  it('answers HTML or JSON with the status, by the Accept header', async () => {
    let agent;
    ({ app, agent } = await start(platform, 'none'));
    const html = await agent
      .get('/edge/page')
      .set('Accept', 'text/html')
      .expect(418);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toBe('<p>teapot</p>');
    const json = await agent
      .get('/edge/page')
      .set('Accept', 'application/json')
      .expect(418);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual({ teapot: true });
  });

  it.each(['server', 'cookie'] as const)(
    'reads and writes a %s session, and signIn renews it (new id, kept values, the user)',
    async (session) => {
      let agent: ReturnType<typeof request.agent>;
      ({ app, agent } = await start(platform, session));
      const written = await agent
        .post('/edge/session')
        .send({ value: 'kept' })
        .expect(201);
      expect(written.body.kind).toBe(session);
      const before = await agent.get('/edge/session').expect(200);
      expect(before.body.value).toBe('kept');
      if (session === 'server')
        expect(before.body.id).toEqual(expect.any(String));
      else expect(before.body.id).toBeNull();

      const signedIn = await agent
        .post('/edge/signin')
        .send({ name: 'alice' })
        .expect(201);
      expect(signedIn.body.user).toEqual({ id: 'alice' });
      const after = await agent.get('/edge/session').expect(200);
      expect(after.body).toMatchObject({
        value: 'kept',
        user: { id: 'alice' },
      });
      if (session === 'server') expect(after.body.id).not.toBe(before.body.id);

      await agent.post('/edge/signout').expect(201);
      const out = await agent.get('/edge/session').expect(200);
      expect(out.body.user).toBeNull();
      expect(out.body.value).toBeNull();
    },
  );

  it('enters the context with the request guards set the user on, across a parsed body', async () => {
    let agent;
    ({ app, agent } = await start(platform, 'none'));
    const response = await agent
      .post('/edge/context')
      .set('X-User', 'bob')
      .send({ big: 'x'.repeat(60_000) })
      .expect(201);
    expect(response.body.same).toBe(true);
    expect(response.body.user).toEqual({ id: 'bob' });
    expect(response.body.body.big).toHaveLength(60_000);
  });
});

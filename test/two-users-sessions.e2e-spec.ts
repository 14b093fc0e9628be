import {
  Body,
  Controller,
  Delete,
  Get,
  INestApplication,
  MiddlewareConsumer,
  Module,
  NestModule,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  Blueprint,
  InjectBlueprint,
  OAuthConsumerModule,
  OAuthToken,
  SessionTokenStorage,
  oauth2,
} from 'nest-dance';
import request from 'supertest';
import {
  TEST_PLATFORMS,
  createPlatformApp,
  initPlatformApp,
} from './support/platform-app';
import { SessionUserMiddleware, SignInController } from './support/session-app';

@Controller('github-token')
class GithubTokenController {
  constructor(@InjectBlueprint('github') private readonly github: Blueprint) {}

  @Post()
  async store(@Body() token: OAuthToken): Promise<{ stored: true }> {
    await this.github.setToken(token);
    return { stored: true };
  }

  // A test fixture only: real apps never send a token to the browser.
  @Get()
  async read(): Promise<{ authorized: boolean; token: OAuthToken | null }> {
    return {
      authorized: await this.github.isAuthorized(),
      token: await this.github.getToken(),
    };
  }

  @Delete()
  async remove(): Promise<{ deleted: true }> {
    await this.github.deleteToken();
    return { deleted: true };
  }
}

@Module({
  imports: [
    OAuthConsumerModule.forRoot({
      storage: SessionTokenStorage,
      publicUrl: 'http://127.0.0.1:3000',
      blueprints: [
        oauth2({
          name: 'github',
          clientId: 'id',
          clientSecret: 'secret',
          authorizationUrl: 'https://github.example/authorize',
          tokenUrl: 'https://github.example/token',
        }),
      ],
    }),
  ],
  controllers: [SignInController, GithubTokenController],
})
class TwoUsersAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionUserMiddleware).forRoutes('{*splat}');
  }
}

const suite =
  'Two users in two cookie sessions (session storage over HTTP) on %s';

describe.each(TEST_PLATFORMS)(suite, (platform) => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TwoUsersAppModule],
    }).compile();
    ({ app } = await createPlatformApp(moduleRef, { platform }));
    await initPlatformApp(app);
  });

  afterAll(() => app.close());

  const signedIn = async (name: string) => {
    const agent = request.agent(app.getHttpServer());
    await agent.post('/auth/signin').send({ name }).expect(201);
    return agent;
  };

  it('each user reads only their own token, and expires_at is computed on store', async () => {
    const alice = await signedIn('alice');
    const bob = await signedIn('bob');
    const before = Math.floor(Date.now() / 1000);
    await alice
      .post('/github-token')
      .send({ access_token: 'alice-at', expires_in: 300 })
      .expect(201);
    await bob
      .post('/github-token')
      .send({ access_token: 'bob-at' })
      .expect(201);

    const aliceRead = await alice.get('/github-token').expect(200);
    expect(aliceRead.body.authorized).toBe(true);
    expect(aliceRead.body.token.access_token).toBe('alice-at');
    expect(aliceRead.body.token.expires_at).toBeGreaterThanOrEqual(
      before + 300,
    );
    expect(aliceRead.body.token.expires_at).toBeLessThanOrEqual(before + 302);
    const bobRead = await bob.get('/github-token').expect(200);
    expect(bobRead.body.token.access_token).toBe('bob-at');
    expect(bobRead.body.token.expires_at).toBeUndefined();
  });

  it('a browser with no session has no token, and a new browser of the same user does not share the session', async () => {
    await request(app.getHttpServer())
      .get('/github-token')
      .expect(200)
      .expect({ authorized: false, token: null });
    const aliceElsewhere = await signedIn('alice');
    const read = await aliceElsewhere.get('/github-token').expect(200);
    expect(read.body.token).toBeNull();
  });

  it('signing out and in as another user on the same browser hides the first user token', async () => {
    const browser = await signedIn('carol');
    await browser
      .post('/github-token')
      .send({ access_token: 'carol-at' })
      .expect(201);
    await browser.post('/auth/signout').expect(201);
    await browser.post('/auth/signin').send({ name: 'dave' }).expect(201);
    expect(
      (await browser.get('/github-token').expect(200)).body.token,
    ).toBeNull();
    await browser.post('/auth/signout').expect(201);
    await browser.post('/auth/signin').send({ name: 'carol' }).expect(201);
    expect(
      (await browser.get('/github-token').expect(200)).body.token.access_token,
    ).toBe('carol-at');
  });

  it('deleting removes the token, and deleting again is fine', async () => {
    const erin = await signedIn('erin');
    await erin
      .post('/github-token')
      .send({ access_token: 'erin-at' })
      .expect(201);
    await erin.delete('/github-token').expect(200);
    await erin.delete('/github-token').expect(200);
    expect((await erin.get('/github-token').expect(200)).body.authorized).toBe(
      false,
    );
  });
});

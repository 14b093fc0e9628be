import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oidc,
} from 'nest-dance';
import { LocalAuthorizationServer, seedToken } from 'nest-dance/testing';
import request from 'supertest';

/** The code under test: it reads the user's token and calls the provider's API with it. */
@Controller('account')
class AccountController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  @Get()
  async account() {
    const token = await this.local.getToken();
    return { connected: token !== null, scope: token?.scope ?? null };
  }

  @Get('profile')
  async profile() {
    const response = await this.local.fetch('api/user');
    return response.json();
  }
}

describe('Connecting the local provider', () => {
  let server: LocalAuthorizationServer;
  let app: INestApplication;

  beforeAll(async () => {
    // A real OAuth 2.0 / OpenID Connect provider on 127.0.0.1, in a child process.
    server = await LocalAuthorizationServer.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          blueprints: [
            oidc({
              name: 'local',
              issuer: server.issuer,
              clientId: server.clientId,
              clientSecret: server.clientSecret,
            }),
          ],
          // Only used to build the callback URL: the test requests it by path.
          publicUrl: 'http://127.0.0.1:3000',
          storage: MemoryTokenStorage,
          // Your app's authentication sets the user; in this test a header stands in for it.
          user: (req: Request) => {
            const id = req.header('x-user');
            return id ? { id } : null;
          },
        }),
      ],
      controllers: [AccountController],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await server.stop();
  });

  it('walks the dance as alice, then calls the API with her token', async () => {
    const browser = request.agent(app.getHttpServer());
    const login = await browser
      .get('/login/local')
      .set('x-user', 'alice')
      .expect(302);
    // Signs in as alice at the provider and approves, without a browser.
    const callback = new URL(
      await server.completeAuthorization(login.headers.location, {
        user: 'alice',
      }),
    );
    await browser
      .get(callback.pathname + callback.search)
      .set('x-user', 'alice')
      .expect(302);

    const account = await browser.get('/account').set('x-user', 'alice');
    expect(account.body).toEqual({
      connected: true,
      scope: 'openid profile email',
    });
    const profile = await browser
      .get('/account/profile')
      .set('x-user', 'alice');
    expect(profile.body).toMatchObject({ sub: 'alice' });
  });

  it('seeds a token for bob without the dance', async () => {
    await seedToken(app, 'local', 'bob', { scope: 'openid email' });

    const http = request(app.getHttpServer());
    await http
      .get('/account')
      .set('x-user', 'bob')
      .expect(200, { connected: true, scope: 'openid email' });
    await http
      .get('/account')
      .set('x-user', 'carol')
      .expect(200, { connected: false, scope: null });
  });
});

import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  Blueprint,
  InjectBlueprint,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oauth2,
} from 'nest-dance';
import request from 'supertest';
import { CapturingLogger } from '../support/capturing-logger';
import { initPlatformApp } from '../support/platform-app';

@Controller()
class ProbeController {
  constructor(@InjectBlueprint('local') private readonly local: Blueprint) {}

  /** Reads the current user's token: needs the user context (and a user). */
  @Get('probe')
  async probe(): Promise<{ connected: boolean }> {
    return { connected: (await this.local.getToken()) !== null };
  }
}

@Module({
  imports: [
    OAuthConsumerModule.forRoot({
      publicUrl: 'http://127.0.0.1',
      storage: MemoryTokenStorage,
      user: (req: { headers: Record<string, unknown> }) =>
        typeof req.headers['x-user'] === 'string'
          ? { id: req.headers['x-user'] }
          : null,
      userContext: { exclude: ['probe'] },
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
class LimitedContextModule {}

describe('What works differently on Fastify says so at start-up', () => {
  it('userContext { forRoutes, exclude } (Express only) is a warning naming the fix; the context is on every route', async () => {
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [LimitedContextModule],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), {
      logger,
    });
    app.useLogger(logger);
    try {
      await initPlatformApp(app);
      const warnings = logger.of('warn', 'nest-dance');
      expect(warnings.map((line) => line.message)).toEqual([
        expect.stringMatching(
          /userContext \{ forRoutes, exclude \} limits the Express middleware only.*Remove the option, or run the app on Express/,
        ),
      ]);
      // The excluded route still has the context (and so its user) on Fastify.
      const probe = await request(app.getHttpServer())
        .get('/probe')
        .set('x-user', 'alice')
        .expect(200);
      expect(probe.body).toEqual({ connected: false });
    } finally {
      await app.close();
    }
  });
});

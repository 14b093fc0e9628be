import { randomBytes } from 'node:crypto';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import {
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oauth2,
  tokenCacheKey,
} from 'nest-dance';

describe('Cache in front of encrypted tokens', () => {
  it('holds only the envelope, and never longer than the token lives', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.register({ isGlobal: true }),
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:3000',
          storage: MemoryTokenStorage,
          cache: true,
          encryption: { keys: [randomBytes(32).toString('base64')] },
          refresh: { enabled: false },
          blueprints: [
            oauth2({
              name: 'acme',
              clientId: 'id',
              authorizationUrl: 'https://acme.example/authorize',
              tokenUrl: 'https://acme.example/token',
            }),
          ],
        }),
      ],
    }).compile();
    await moduleRef.init();
    const acme = moduleRef.get(BlueprintRegistry).get('acme');
    const cache = moduleRef.get<Cache>(CACHE_MANAGER);
    const key = { provider: 'acme', userId: 'u1' };
    await acme.setToken(
      { access_token: 'short-lived-at', expires_in: 2 },
      { userId: 'u1' },
    );
    expect((await acme.getToken({ userId: 'u1' }))?.access_token).toBe(
      'short-lived-at',
    );
    const cached = await cache.get<Record<string, unknown>>(tokenCacheKey(key));
    expect(cached).toBeDefined();
    expect(JSON.stringify(cached)).not.toContain('short-lived-at');
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect(await cache.get(tokenCacheKey(key))).toBeUndefined();
    await moduleRef.close();
  });
});

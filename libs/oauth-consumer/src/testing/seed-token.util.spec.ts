import { Test } from '@nestjs/testing';
import { TokenStorage } from '../storage/token-storage.interface';
import { MemoryTokenStorage } from '../storage/memory-token.storage';
import { NullTokenStorage } from '../storage/null-token.storage';
import { SessionTokenStorage } from '../storage/session-token.storage';
import { OAuthConsumerModule } from '../oauth-consumer.module';
import { oauth2 } from '../blueprint/oauth2.blueprint';
import { Type } from '@nestjs/common';
import { seedToken } from './seed-token.util';

async function appWith(storage: Type<TokenStorage>) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      OAuthConsumerModule.forRoot({
        storage,
        publicUrl: 'http://127.0.0.1:3000',
        blueprints: [
          oauth2({
            name: 'acme',
            clientId: 'id',
            authorizationUrl: 'http://127.0.0.1:9/authorize',
            tokenUrl: 'http://127.0.0.1:9/token',
          }),
        ],
      }),
    ],
  }).compile();
  return moduleRef.init();
}

describe('seedToken', () => {
  it('stores a token for the user through the blueprint and returns it with expires_at', async () => {
    const app = await appWith(MemoryTokenStorage);
    const before = Math.floor(Date.now() / 1000);
    const token = await seedToken(app, 'acme', 'alice', { scope: 'read' });
    expect(token).toMatchObject({
      access_token: expect.stringMatching(/^seeded-/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'read',
    });
    expect(token.expires_at).toBeGreaterThanOrEqual(before + 3600);
    expect(
      await app
        .get<TokenStorage>(TokenStorage)
        .get({ provider: 'acme', userId: 'alice' }),
    ).toEqual(token);
    expect(
      await app
        .get<TokenStorage>(TokenStorage)
        .get({ provider: 'acme', userId: 'bob' }),
    ).toBeNull();
    await app.close();
  });

  it('keeps a given expires_at and access token', async () => {
    const app = await appWith(MemoryTokenStorage);
    const token = await seedToken(app, 'acme', 7, {
      access_token: 'given',
      expires_at: 100,
    });
    expect(token).toEqual({
      access_token: 'given',
      token_type: 'Bearer',
      expires_at: 100,
    });
    await app.close();
  });

  it('names the fix for SessionTokenStorage, a storage that keeps nothing, and an unknown provider', async () => {
    const session = await appWith(SessionTokenStorage);
    await expect(seedToken(session, 'acme', 'alice')).rejects.toThrow(
      /SessionTokenStorage.*bind MemoryTokenStorage in tests/,
    );
    await session.close();
    const nothing = await appWith(NullTokenStorage);
    await expect(seedToken(nothing, 'acme', 'alice')).rejects.toThrow(
      /NullTokenStorage\) did not keep the token/,
    );
    await expect(seedToken(nothing, 'github', 'alice')).rejects.toThrow(
      /github/,
    );
    await nothing.close();
  });
});

import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import {
  Blueprint,
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuthConsumerModule,
  TOKEN_STORAGE,
  oauth2,
} from 'nest-dance';
import { createUserContext } from './support/user-context';

describe('Encrypted tokens read by an app without keys', () => {
  it('fail with an error naming the fix, not a blank token', async () => {
    const options = oauth2({
      name: 'acme',
      clientId: 'id',
      authorizationUrl: 'https://acme.example/authorize',
      tokenUrl: 'https://acme.example/token',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:3000',
          storage: MemoryTokenStorage,
          blueprints: [options],
          encryption: { keys: [randomBytes(32).toString('base64')] },
        }),
      ],
    }).compile();
    await moduleRef.init();
    await moduleRef
      .get(BlueprintRegistry)
      .get('acme')
      .setToken({ access_token: 'at' }, { userId: 'u1' });
    const raw: MemoryTokenStorage = moduleRef.get(TOKEN_STORAGE);
    const withoutKeys = new Blueprint(options, {
      storage: raw,
      context: createUserContext(),
    });
    await expect(withoutKeys.getToken({ userId: 'u1' })).rejects.toThrow(
      /token is encrypted, but no encryption keys are configured: set OAuthConsumerModule.forRoot\(\{ encryption: \{ keys \} \}\)/,
    );
    await expect(withoutKeys.isAuthorized({ userId: 'u1' })).rejects.toThrow(
      /no encryption keys/,
    );
    await expect(
      withoutKeys.deleteToken({ userId: 'u1', revoke: true }),
    ).resolves.toEqual({ revoked: false });
    await moduleRef.close();
  });
});

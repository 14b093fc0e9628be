import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  BaseTokenStorage,
  InvalidOptionsError,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthToken,
  TOKEN_STORAGE,
  TokenStorage,
  oauth2,
} from 'nest-dance';

/** A storage an app might write, bound the wrong way in the tests below. */
@Injectable()
class MyStorage extends BaseTokenStorage {
  async get(): Promise<OAuthToken | null> {
    return null;
  }
  async set(): Promise<void> {}
  async delete(): Promise<void> {}
}

const publicUrl = 'http://127.0.0.1:3000';
const github = (clientId: string) =>
  oauth2({
    name: 'github',
    clientId,
    clientSecret: 'secret',
    authorizationUrl: 'https://github.example/authorize',
    tokenUrl: 'https://github.example/token',
  });

async function boot(module: unknown): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [module as never],
  }).compile();
  try {
    await moduleRef.init();
  } finally {
    await moduleRef.close();
  }
}

describe('start-up errors that name the fix', () => {
  it.each([
    ['TOKEN_STORAGE', TOKEN_STORAGE],
    ['TokenStorage', TokenStorage],
  ])(
    "{ provide: %s, useClass: MyStorage } in the app's own module fails, naming forRoot({ storage: MyStorage })",
    async (name, token) => {
      @Module({
        imports: [
          OAuthConsumerModule.forRoot({
            publicUrl,
            blueprints: [github('id')],
          }),
        ],
        providers: [{ provide: token, useClass: MyStorage }],
      })
      class AppModule {}

      const failure = boot(AppModule);
      await expect(failure).rejects.toThrow(InvalidOptionsError);
      await expect(failure).rejects.toThrow(
        `A provider of ${name} outside OAuthConsumerModule (MyStorage) is never used by nest-dance: ` +
          'remove it and bind the storage with OAuthConsumerModule.forRoot({ storage: MyStorage })',
      );
    },
  );

  it('forRoot({ storage: MyStorage }) is the binding that works', async () => {
    @Module({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [github('id')],
          storage: MyStorage,
        }),
      ],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(TOKEN_STORAGE)).toBeInstanceOf(MyStorage);
    expect(moduleRef.get(TokenStorage)).toBeInstanceOf(MyStorage);
    await moduleRef.close();
  });

  it('overrideProvider(TOKEN_STORAGE) in tests is not a stray storage', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({ publicUrl, blueprints: [github('id')] }),
      ],
    })
      .overrideProvider(TOKEN_STORAGE)
      .useClass(MemoryTokenStorage)
      .compile();
    await moduleRef.init();
    expect(moduleRef.get(TokenStorage)).toBeInstanceOf(MemoryTokenStorage);
    await moduleRef.close();
  });

  it.each([[''], ['   ']])(
    'a blueprint with clientId %j fails at start-up naming the blueprint',
    async (clientId) => {
      const failure = boot(
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [github(clientId)],
          storage: MemoryTokenStorage,
        }),
      );
      await expect(failure).rejects.toThrow(InvalidOptionsError);
      await expect(failure).rejects.toThrow(
        `Blueprint 'github' has no clientId (got ${JSON.stringify(clientId)})`,
      );
    },
  );
});

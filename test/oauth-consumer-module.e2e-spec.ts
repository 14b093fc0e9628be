import { Controller, Get, Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Blueprint,
  BlueprintOptions,
  BlueprintRegistry,
  DuplicateBlueprintError,
  InjectBlueprint,
  InvalidOptionsError,
  MemoryTokenStorage,
  NullTokenStorage,
  OAuthConsumerModule,
  OAuthUserContext,
  SessionTokenStorage,
  TOKEN_STORAGE,
  TokenStorage,
  UnknownBlueprintError,
  oauth2,
} from 'nest-dance';
import {
  FileTokenStorage,
  TOKEN_DIRECTORY,
} from './fixtures/file-token.storage';

const blueprint = (
  name: string,
  extra: Partial<BlueprintOptions> = {},
): BlueprintOptions =>
  oauth2({
    name,
    clientId: `${name}-id`,
    clientSecret: `${name}-secret`,
    authorizationUrl: `https://${name}.example/authorize`,
    tokenUrl: `https://${name}.example/token`,
    ...extra,
  });

const publicUrl = 'http://127.0.0.1:3000';

async function boot(imports: unknown[], providers: unknown[] = []) {
  const moduleRef = await Test.createTestingModule({
    imports: imports as never[],
    providers: providers as never[],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('OAuthConsumerModule', () => {
  it('forRoot and forRootAsync give the same storage, blueprints and options', async () => {
    const options = {
      publicUrl,
      blueprints: [blueprint('github'), blueprint('google')],
      userRequired: true,
    };
    const sync = await boot([
      OAuthConsumerModule.forRoot({ ...options, storage: MemoryTokenStorage }),
    ]);
    const async = await boot([
      OAuthConsumerModule.forRootAsync({
        storage: MemoryTokenStorage,
        useFactory: async () => options,
      }),
    ]);
    for (const moduleRef of [sync, async]) {
      const registry = moduleRef.get(BlueprintRegistry);
      expect(registry.names()).toEqual(['github', 'google']);
      expect(moduleRef.get(TOKEN_STORAGE)).toBeInstanceOf(MemoryTokenStorage);
      expect(registry.get('github').storage).toBe(moduleRef.get(TOKEN_STORAGE));
      expect(registry.get('github').options.clientId).toBe('github-id');
      const context = moduleRef.get(OAuthUserContext);
      expect(() => context.ownerIdFor('get', 'github')).toThrow(
        /without an associated user/,
      );
    }
    await Promise.all([sync.close(), async.close()]);
  });

  it('forRootAsync runs its factory with injected dependencies', async () => {
    @Injectable()
    class Config {
      clientId = 'from-config';
    }
    @Global()
    @Module({ providers: [Config], exports: [Config] })
    class ConfigModule {}
    const moduleRef = await boot([
      ConfigModule,
      OAuthConsumerModule.forRootAsync({
        inject: [Config],
        useFactory: (config: Config) => ({
          publicUrl,
          blueprints: [blueprint('github', { clientId: config.clientId })],
        }),
      }),
    ]);
    expect(
      moduleRef.get(BlueprintRegistry).get('github').options.clientId,
    ).toBe('from-config');
    expect(moduleRef.get(TOKEN_STORAGE)).toBeInstanceOf(SessionTokenStorage);
    await moduleRef.close();
  });

  it('injecting TokenStorage by class gives the instance bound to TOKEN_STORAGE', async () => {
    const moduleRef = await boot([
      OAuthConsumerModule.forRoot({
        publicUrl,
        blueprints: [],
        storage: MemoryTokenStorage,
      }),
    ]);
    expect(moduleRef.get(TokenStorage)).toBe(moduleRef.get(TOKEN_STORAGE));
    await moduleRef.close();
  });

  it('fails at start-up when two blueprints share a name, naming the fix', async () => {
    await expect(
      boot([
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [blueprint('github'), blueprint('github')],
        }),
      ]),
    ).rejects.toThrow(DuplicateBlueprintError);
    await expect(
      boot([
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [blueprint('github'), blueprint('github')],
        }),
      ]),
    ).rejects.toThrow(/registered twice.*give each blueprint its own name/);
  });

  it('fails at start-up when a class injects an unknown blueprint, naming the class and the fix', async () => {
    @Controller('gitlab')
    class GitlabController {
      constructor(@InjectBlueprint('gitlab') readonly gitlab: Blueprint) {}
      @Get()
      ping() {
        return 'pong';
      }
    }
    const moduleRef = Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [blueprint('github')],
        }),
      ],
      controllers: [GitlabController],
    });
    const failure = moduleRef.compile().then((m) => m.init());
    await expect(failure).rejects.toThrow(UnknownBlueprintError);
    await expect(
      Test.createTestingModule({
        imports: [
          OAuthConsumerModule.forRoot({
            publicUrl,
            blueprints: [blueprint('github')],
          }),
        ],
        controllers: [GitlabController],
      })
        .compile()
        .then((m) => m.init()),
    ).rejects.toThrow(
      "Unknown provider 'gitlab' (asked for by GitlabController): register it in OAuthConsumerModule.forRoot({ blueprints }). Registered: 'github'.",
    );
  });

  it('injects a registered blueprint by name', async () => {
    @Injectable()
    class UsesGithub {
      constructor(@InjectBlueprint('github') readonly github: Blueprint) {}
    }
    const moduleRef = await boot(
      [
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [blueprint('github')],
        }),
      ],
      [UsesGithub],
    );
    expect(moduleRef.get(UsesGithub).github).toBe(
      moduleRef.get(BlueprintRegistry).get('github'),
    );
    await moduleRef.close();
  });

  it('looking up an unknown blueprint at run time throws the same clear error', async () => {
    const moduleRef = await boot([
      OAuthConsumerModule.forRoot({
        publicUrl,
        blueprints: [blueprint('github')],
      }),
    ]);
    expect(() => moduleRef.get(BlueprintRegistry).get('gitlab')).toThrow(
      /Unknown provider 'gitlab': register it in OAuthConsumerModule.forRoot\(\{ blueprints \}\)/,
    );
    await moduleRef.close();
  });

  it('refuses blueprint names that cannot be a route segment', () => {
    expect(() => blueprint('../evil')).toThrow(InvalidOptionsError);
    expect(() => blueprint('')).toThrow(/Invalid blueprint name/);
  });

  it('fails at start-up without a way to build the callback URL', async () => {
    await expect(
      boot([
        OAuthConsumerModule.forRoot({ blueprints: [blueprint('github')] }),
      ]),
    ).rejects.toThrow(
      /needs a callback URL: set OAuthConsumerModule.forRoot\(\{ publicUrl/,
    );
  });

  it('overrideProvider(TOKEN_STORAGE) swaps the storage every blueprint uses', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          publicUrl,
          blueprints: [blueprint('github')],
        }),
      ],
    })
      .overrideProvider(TOKEN_STORAGE)
      .useClass(MemoryTokenStorage)
      .compile();
    await moduleRef.init();
    const github = moduleRef.get(BlueprintRegistry).get('github');
    expect(github.storage).toBeInstanceOf(MemoryTokenStorage);
    await github.setToken({ access_token: 'at' }, { userId: 'alice' });
    expect(await github.getToken({ userId: 'alice' })).toEqual({
      access_token: 'at',
    });
    await moduleRef.close();
  });

  it('binds a custom storage with useClass and full dependency injection', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'nest-dance-module-'));
    @Global()
    @Module({
      providers: [{ provide: TOKEN_DIRECTORY, useValue: directory }],
      exports: [TOKEN_DIRECTORY],
    })
    class FilesModule {}
    const moduleRef = await boot([
      FilesModule,
      OAuthConsumerModule.forRoot({
        publicUrl,
        blueprints: [blueprint('github')],
        storage: { useClass: FileTokenStorage },
      }),
    ]);
    const github = moduleRef.get(BlueprintRegistry).get('github');
    expect(github.storage).toBeInstanceOf(FileTokenStorage);
    await github.setToken({ access_token: 'on-disk' }, { userId: 'alice' });
    expect(await readdir(directory)).toHaveLength(1);
    expect((await github.getToken({ userId: 'alice' }))?.access_token).toBe(
      'on-disk',
    );
    await moduleRef.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('lets one blueprint use its own storage class while others use the module storage', async () => {
    const moduleRef = await boot([
      OAuthConsumerModule.forRoot({
        publicUrl,
        storage: MemoryTokenStorage,
        blueprints: [
          blueprint('github'),
          blueprint('login-only', { storage: NullTokenStorage }),
        ],
      }),
    ]);
    const registry = moduleRef.get(BlueprintRegistry);
    expect(registry.get('github').storage).toBeInstanceOf(MemoryTokenStorage);
    expect(registry.get('login-only').storage).toBeInstanceOf(NullTokenStorage);
    await registry
      .get('login-only')
      .setToken({ access_token: 'x' }, { userId: 'alice' });
    expect(
      await registry.get('login-only').getToken({ userId: 'alice' }),
    ).toBeNull();
    await moduleRef.close();
  });
});

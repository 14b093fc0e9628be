import { TestingModule, Test } from '@nestjs/testing';
import {
  Blueprint,
  BlueprintRegistry,
  InvalidOptionsError,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthUserContext,
} from 'nest-dance';
import { FIXTURE_PUBLIC_URL, githubBlueprint } from '../support/token-app';

const tokenOf = (owner: string) => ({
  access_token: `${owner}-access-secret`,
  token_type: 'Bearer',
});

/**
 * issue 13 #13: owner ids were `String(id)`, so every object id became '[object Object]' and
 * Buffers that are not valid UTF-8 decoded to the same replacement characters: one user read
 * another's token. Only strings, numbers and bigints are ids; anything else is refused with
 * an error that names the fix (the `userId` option), before any storage is touched.
 */
describe('issue 13 #13: owner ids are strings, numbers or bigints, nothing else', () => {
  let moduleRef: TestingModule;
  let context: OAuthUserContext;
  let github: Blueprint;
  let storage: MemoryTokenStorage;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          storage: MemoryTokenStorage,
          publicUrl: FIXTURE_PUBLIC_URL,
          blueprints: [githubBlueprint],
          userRequired: true,
        }),
      ],
    }).compile();
    await moduleRef.init();
    context = moduleRef.get(OAuthUserContext);
    github = moduleRef.get(BlueprintRegistry).get('github');
    storage = github.storage as MemoryTokenStorage;
  });
  afterAll(() => moduleRef.close());

  const hostileIds: Array<[string, unknown, unknown]> = [
    ['two different objects', { tenant: 1, n: 7 }, { tenant: 2, n: 9 }],
    [
      'two Buffers that are not UTF-8',
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xfe, 0xff]),
    ],
    ['two arrays', ['a', 'b'], ['a,b']],
    ['a Date and another', new Date(0), new Date(1)],
    ['two symbols', Symbol('alice'), Symbol('alice')],
    ['NaN and NaN', Number.NaN, Number.NaN],
    ['a function and another', () => 'a', () => 'b'],
    ['true and true', true, true],
  ];

  it.each(hostileIds)(
    '%s as user.id: a clear error naming the userId option, and no token crosses over',
    async (_label, first, second) => {
      const before = storage.size;
      const write = context.runAs({ id: first }, () =>
        github.setToken(tokenOf('first')),
      );
      await expect(write).rejects.toThrow(InvalidOptionsError);
      await expect(write).rejects.toThrow(
        /OAuthConsumerModule\.forRoot\(\{ userId: \(user\) => /,
      );
      await expect(
        context.runAs({ id: second }, () => github.getToken()),
      ).rejects.toThrow(InvalidOptionsError);
      expect(storage.size).toBe(before);
    },
  );

  it.each(hostileIds)(
    '%s as an explicit { userId }: the same error',
    async (_label, first) => {
      await expect(
        github.setToken(tokenOf('x'), { userId: first as string }),
      ).rejects.toThrow(/userId/);
      await expect(
        github.getToken({ userId: first as string }),
      ).rejects.toThrow(InvalidOptionsError);
    },
  );

  it('names what it got, without printing the value', async () => {
    const error: Error = await context
      .runAs({ id: { secret: 'do-not-print' } }, () => github.getToken())
      .then(
        () => new Error('no error'),
        (failure: Error) => failure,
      );
    expect(error.message).toMatch(/is an object/);
    expect(error.message).not.toContain('do-not-print');
  });

  it('strings, numbers and bigints work; 42 and "42" are the same owner', async () => {
    await context.runAs({ id: 'alice' }, () =>
      github.setToken(tokenOf('alice')),
    );
    await context.runAs({ id: 42 }, () => github.setToken(tokenOf('n42')));
    await context.runAs({ id: 12345678901234567890n }, () =>
      github.setToken(tokenOf('big')),
    );
    expect(await github.getToken({ userId: 'alice' })).toMatchObject(
      tokenOf('alice'),
    );
    expect(await github.getToken({ userId: '42' })).toMatchObject(
      tokenOf('n42'),
    );
    expect(
      await context.runAs({ id: 12345678901234567890n }, () =>
        github.getToken(),
      ),
    ).toMatchObject(tokenOf('big'));
    expect(
      await github.getToken({ userId: '12345678901234567890' }),
    ).toMatchObject(tokenOf('big'));
  });
});

import { Test } from '@nestjs/testing';
import {
  InvalidOptionsError,
  MemoryTokenStorage,
  OAuthConsumerModule,
  OAuthConsumerModuleOptions,
  TokenRefresher,
} from 'nest-dance';
import { githubBlueprint } from '../support/token-app';

/** Compiles an app module with these refresh and token endpoint settings. */
function compile(
  options: Pick<OAuthConsumerModuleOptions, 'refresh' | 'tokenEndpoint'>,
) {
  return Test.createTestingModule({
    imports: [
      OAuthConsumerModule.forRoot({
        publicUrl: 'http://127.0.0.1:3000',
        storage: MemoryTokenStorage,
        blueprints: [githubBlueprint],
        ...options,
      }),
    ],
  }).compile();
}

/**
 * A refresh holds its lock while it waits for the token endpoint. A lock that frees itself
 * before the token request can time out lets a second process refresh with the same refresh
 * token meanwhile: with rotating refresh tokens the provider then refuses one of them, or
 * revokes the whole grant. Such settings fail the start-up, naming both options.
 */
describe('Adversarial: the refresh lock outlives the token request', () => {
  it.each([
    ['shorter than the default 10 s timeout', { lockTtlMs: 5_000 }, undefined],
    ['equal to the timeout', { lockTtlMs: 3_000 }, { timeoutMs: 3_000 }],
    [
      'shorter than a raised timeout',
      undefined,
      { timeoutMs: 45_000 }, // the default lockTtlMs is 30 s
    ],
  ])(
    'issue 13, also: refresh.lockTtlMs %s fails the start-up, naming both options and the fix',
    async (_label, refresh, tokenEndpoint) => {
      const failure = await compile({ refresh, tokenEndpoint }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InvalidOptionsError);
      expect((failure as Error).message).toMatch(
        /refresh\.lockTtlMs \(\d+ ms\) must be longer than tokenEndpoint\.timeoutMs \(\d+ ms\).*twice/s,
      );
    },
  );

  it.each([
    ['the defaults', {}],
    ['a lock longer than the timeout', { refresh: { lockTtlMs: 12_000 } }],
    [
      'a short timeout under a short lock',
      { refresh: { lockTtlMs: 2_000 }, tokenEndpoint: { timeoutMs: 1_000 } },
    ],
  ])('issue 13, also: %s start', async (_label, options) => {
    const moduleRef = await compile(options);
    expect(moduleRef.get(TokenRefresher)).toBeInstanceOf(TokenRefresher);
    await moduleRef.close();
  });

  it('issue 13, also: a lock ttl that is not a positive number of milliseconds is refused', async () => {
    await expect(compile({ refresh: { lockTtlMs: 0 } })).rejects.toThrow(
      /refresh\.lockTtlMs/,
    );
    await expect(
      compile({ refresh: { lockTtlMs: Number.NaN } }),
    ).rejects.toThrow(/refresh\.lockTtlMs/);
  });
});

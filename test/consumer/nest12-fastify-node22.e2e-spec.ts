import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CookieAgent } from '../support/cookie-agent';
import { useStartedConsumer } from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (e) A Nest 12 app on @nestjs/platform-fastify (Fastify 5) and Node 22, an ES module compiled
// with the Nest CLI's tsconfig: nest-dance from its tarball with only the peers it uses
// (@fastify/cookie + @fastify/session for SessionTokenStorage, oidc-provider for
// nest-dance/testing), no Express anywhere.
describe('consumer app: Nest 12, Fastify 5, Node 22, @fastify/session storage', () => {
  const started = useStartedConsumer({
    app: 'nest12-fastify',
    packagedNode: true,
  });

  it('runs on Node 22, Nest 12 and Fastify 5, without Express or express-session', async () => {
    const { stdout, stderr } = await started.consumer.exec(
      `import { createRequire } from 'node:module';
       const require = createRequire(process.cwd() + '/');
       const platform = require.resolve('@nestjs/platform-fastify');
       const fastify = createRequire(platform)('fastify/package.json');
       console.log(process.versions.node, require('@nestjs/core/package.json').version,
         fastify.version);`,
      { esm: true },
    );
    expect(stderr).toBe('');
    const [node, nest, fastify] = stdout.trim().split(' ');
    expect(node).toMatch(/^22\./);
    expect(nest).toMatch(/^12\./);
    expect(fastify).toMatch(/^5\./);
    for (const name of [
      'express',
      'express-session',
      '@nestjs/platform-express',
    ]) {
      expect(existsSync(join(started.consumer.dir, 'node_modules', name))).toBe(
        false,
      );
    }
  });

  it('dances with LocalAuthorizationServer and reads the token back through TokenStorage and @InjectBlueprint', async () => {
    const { agent, tokens } = await danceAndReadBack(
      started.app.url,
      started.app.issuer,
      'erin',
      started.app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
    expect(tokens.storage?.refresh_token).toEqual(expect.any(String));
    // Kept in this browser's session: another browser of the same user has none.
    const other = (await new CookieAgent().json(
      `${started.app.url}/tokens/blueprint`,
      {
        headers: { 'x-user': 'erin' },
      },
    )) as { token: unknown };
    expect(other.token).toBeNull();

    const profile = (await agent.json(`${started.app.url}/profile`, {
      headers: { 'x-user': 'erin' },
    })) as { sub?: string };
    expect(profile.sub).toEqual(expect.any(String));

    // With the token, the RequireToken route runs.
    const repos = await agent.request(`${started.app.url}/repos`, {
      headers: { 'x-user': 'erin', accept: 'text/html' },
    });
    expect(repos.status).toBe(200);
    expect(await repos.json()).toEqual({ repos: ['nest-dance'] });

    const stats = await started.app.stats();
    expect(stats.tokenRequests.authorization_code).toBe(1);
    // Nothing to warn about on Fastify: no start-up warning, no error logged by the dance.
    expect(started.app.output()).toBe('');
  });

  it('sends a visitor without a token from the RequireToken route to the login route, and back once it has one', async () => {
    const visitor = new CookieAgent();
    const page = await visitor.request(`${started.app.url}/repos`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login/local?next=%2Frepos');

    const api = await visitor.request(`${started.app.url}/repos`, {
      headers: { accept: 'application/json' },
    });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({
      error: 'TokenRequired',
      loginUrl: '/login/local?next=%2Frepos',
    });

    // The login route it names starts the dance at the provider.
    const login = await visitor.request(
      `${started.app.url}${page.headers.get('location')}`,
    );
    expect(login.status).toBe(302);
    const authorizationUrl = login.headers.get('location') ?? '';
    expect(authorizationUrl.startsWith(started.app.issuer)).toBe(true);

    // Back from the provider, the visitor lands on the page it asked for, which now runs.
    const back = await visitor.request(
      await started.app.completeAuthorization(authorizationUrl),
    );
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toMatch(/(^|\/\/[^/]+)\/repos$/);
    const repos = await visitor.request(`${started.app.url}/repos`, {
      headers: { accept: 'text/html' },
    });
    expect(repos.status).toBe(200);
    expect(await repos.json()).toEqual({ repos: ['nest-dance'] });
  });
});

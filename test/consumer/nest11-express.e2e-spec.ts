import { CookieAgent } from '../support/cookie-agent';
import { useStartedConsumer, readmeAppFiles } from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (a) A Nest 11 app on Express and Node 20 outside this repository: nest-dance installed from
// its tarball, express-session for the default SessionTokenStorage, LocalAuthorizationServer
// from the installed nest-dance/testing (oidc-provider installed by the app); and the README's
// first app, unchanged (it needs express-session).
describe('consumer app: Nest 11, Express, Node 20, session storage', () => {
  const started = useStartedConsumer({
    app: 'nest11-session',
    files: readmeAppFiles(),
  });

  it('runs on the Nest 11 and Node it was installed with', async () => {
    const { stdout } = await started.consumer.exec(
      "console.log(process.versions.node, require('@nestjs/core/package.json').version)",
    );
    const [node, nest] = stdout.trim().split(' ');
    expect(node).toMatch(/^20\./);
    expect(nest).toMatch(/^11\./);
  });

  it('dances with LocalAuthorizationServer and reads the token back through TokenStorage and @InjectBlueprint', async () => {
    const { agent, tokens } = await danceAndReadBack(
      started.app.url,
      started.app.issuer,
      'alice',
      started.app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
    expect(tokens.storage?.refresh_token).toEqual(expect.any(String));

    const profile = (await agent.json(`${started.app.url}/profile`, {
      headers: { 'x-user': 'alice' },
    })) as { sub?: string };
    expect(profile.sub).toEqual(expect.any(String));

    const stats = await started.app.stats();
    expect(stats.tokenRequests.authorization_code).toBe(1);
  });

  it('keeps tokens per browser session: another browser of the same user has none', async () => {
    const other = new CookieAgent();
    const read = (await other.json(`${started.app.url}/tokens/blueprint`, {
      headers: { 'x-user': 'alice' },
    })) as { token: unknown };
    expect(read.token).toBeNull();
  });

  it("runs the README's first app unchanged: /repos sends the user to GitHub through /login/github", async () => {
    const readmeApp = await started.consumer.start(
      {
        GITHUB_CLIENT_ID: 'readme-client-id',
        GITHUB_CLIENT_SECRET: 'readme-secret',
        SESSION_SECRET: 'readme-session-secret-of-32-chars!',
      },
      'dist/readme-main.js',
    );
    try {
      const agent = new CookieAgent();
      const repos = await agent.request(`${readmeApp.url}/repos`);
      expect(repos.status).toBe(302);
      const login = new URL(repos.headers.get('location') ?? '', readmeApp.url);
      expect(login.pathname).toBe('/login/github');
      const toGithub = await agent.request(login.href);
      expect(toGithub.status).toBe(302);
      const authorize = new URL(toGithub.headers.get('location') ?? '');
      expect(authorize.origin + authorize.pathname).toBe(
        'https://github.com/login/oauth/authorize',
      );
      expect(authorize.searchParams.get('client_id')).toBe('readme-client-id');
      expect(authorize.searchParams.get('redirect_uri')).toBe(
        'http://localhost:3000/login/github/authorized',
      );
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    } finally {
      await readmeApp.stop();
    }
  });

  it("stops the README's first app at start-up, naming the blueprint, when GITHUB_CLIENT_ID is unset", async () => {
    await expect(
      started.consumer.start({ GITHUB_CLIENT_ID: '' }, 'dist/readme-main.js'),
    ).rejects.toThrow("Blueprint 'github' has no clientId");
  });
});

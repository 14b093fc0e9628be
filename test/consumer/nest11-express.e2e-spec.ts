import {
  ConsumerApp,
  RunningConsumer,
  createConsumerApp,
} from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (a) A Nest 11 app on Express and Node 20 outside this repository: nest-dance installed from
// its tarball, express-session for the default SessionTokenStorage, LocalAuthorizationServer
// from the installed nest-dance/testing (oidc-provider installed by the app).
describe('consumer app: Nest 11, Express, Node 20, session storage', () => {
  let consumer: ConsumerApp;
  let app: RunningConsumer;

  beforeAll(async () => {
    consumer = await createConsumerApp({ app: 'nest11-session' });
    app = await consumer.start();
  }, 10 * 60_000);

  afterAll(async () => {
    await app?.stop();
    consumer?.remove();
  });

  it('runs on the Nest 11 and Node it was installed with', async () => {
    const { stdout } = await consumer.exec(
      "console.log(process.versions.node, require('@nestjs/core/package.json').version)",
    );
    const [node, nest] = stdout.trim().split(' ');
    expect(node).toMatch(/^20\./);
    expect(nest).toMatch(/^11\./);
  });

  it('dances with LocalAuthorizationServer and reads the token back through TokenStorage and @InjectBlueprint', async () => {
    const { agent, tokens } = await danceAndReadBack(
      app.url,
      app.issuer,
      'alice',
      app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
    expect(tokens.storage?.refresh_token).toEqual(expect.any(String));

    const profile = (await agent.json(`${app.url}/profile`, {
      headers: { 'x-user': 'alice' },
    })) as { sub?: string };
    expect(profile.sub).toEqual(expect.any(String));

    const stats = await app.stats();
    expect(stats.tokenRequests.authorization_code).toBe(1);
  });

  it('keeps tokens per browser session: another browser of the same user has none', async () => {
    const { CookieAgent } = await import('../support/cookie-agent');
    const other = new CookieAgent();
    const read = (await other.json(`${app.url}/tokens/blueprint`, {
      headers: { 'x-user': 'alice' },
    })) as { token: unknown };
    expect(read.token).toBeNull();
  });
});

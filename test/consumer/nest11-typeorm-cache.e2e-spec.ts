import { CookieAgent } from '../support/cookie-agent';
import {
  ConsumerApp,
  RunningConsumer,
  createConsumerApp,
} from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (b) The Nest 11 Express app with nest-dance/typeorm on SQLite (better-sqlite3 12) and
// `cache: true` (@nestjs/cache-manager, in memory), installed from the tarball.
describe('consumer app: Nest 11, nest-dance/typeorm on SQLite, cache: true', () => {
  let consumer: ConsumerApp;
  let app: RunningConsumer;

  beforeAll(async () => {
    consumer = await createConsumerApp({ app: 'nest11-typeorm' });
    app = await consumer.start({ DATABASE: 'tokens.sqlite' });
  }, 10 * 60_000);

  afterAll(async () => {
    await app?.stop();
    consumer?.remove();
  });

  it('dances and reads the token back from the database, through TokenStorage and @InjectBlueprint', async () => {
    const { tokens } = await danceAndReadBack(
      app.url,
      app.issuer,
      'bob',
      app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
  });

  it('keeps the token in SQLite for the user, not in the browser: a new browser reads it', async () => {
    const read = (await new CookieAgent().json(`${app.url}/tokens/storage`, {
      headers: { 'x-user': 'bob' },
    })) as { token: { access_token?: string } | null };
    expect(read.token?.access_token).toEqual(expect.any(String));

    const { stdout, code, stderr } = await consumer.exec(
      `const Database = require('better-sqlite3');
       const db = new Database('tokens.sqlite', { readonly: true });
       const rows = db.prepare('SELECT provider, userId, token FROM oauth_tokens').all();
       console.log(JSON.stringify(rows.map((r) => ({ ...r, token: JSON.parse(r.token) }))));`,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows = JSON.parse(stdout) as Array<{
      provider: string;
      userId: string;
      token: { access_token: string };
    }>;
    expect(rows).toEqual([
      expect.objectContaining({ provider: 'local', userId: 'bob' }),
    ]);
    expect(rows[0].token.access_token).toBe(read.token?.access_token);
  });

  it('has no token for another user', async () => {
    const read = (await new CookieAgent().json(`${app.url}/tokens/blueprint`, {
      headers: { 'x-user': 'carol' },
    })) as { token: unknown };
    expect(read.token).toBeNull();
  });
});

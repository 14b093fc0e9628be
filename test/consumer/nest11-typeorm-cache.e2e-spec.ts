import { CookieAgent } from '../support/cookie-agent';
import { useStartedConsumer } from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (b) The Nest 11 Express app with nest-dance/typeorm on SQLite (better-sqlite3 12) and
// `cache: true` (@nestjs/cache-manager, in memory), installed from the tarball.
describe('consumer app: Nest 11, nest-dance/typeorm on SQLite, cache: true', () => {
  const started = useStartedConsumer(
    { app: 'nest11-typeorm' },
    { DATABASE: 'tokens.sqlite' },
  );

  it('dances and reads the token back from the database, through TokenStorage and @InjectBlueprint', async () => {
    const { tokens } = await danceAndReadBack(
      started.app.url,
      started.app.issuer,
      'bob',
      started.app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
  });

  it('keeps the token in SQLite for the user, not in the browser: a new browser reads it', async () => {
    const read = (await new CookieAgent().json(
      `${started.app.url}/tokens/storage`,
      {
        headers: { 'x-user': 'bob' },
      },
    )) as { token: { access_token?: string } | null };
    expect(read.token?.access_token).toEqual(expect.any(String));

    const { stdout, code, stderr } = await started.consumer.exec(
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
    const read = (await new CookieAgent().json(
      `${started.app.url}/tokens/blueprint`,
      {
        headers: { 'x-user': 'carol' },
      },
    )) as { token: unknown };
    expect(read.token).toBeNull();
  });
});

import { Logger as TypeOrmLogger } from 'typeorm';
import { Entity } from 'typeorm';
import {
  OAuthTokenEntity,
  TypeOrmTokenStorage,
  ownerKeyOf,
} from 'nest-dance/typeorm';
import { TestDatabase, openTestDatabase } from '../support/databases';

@Entity('nd_listing_token')
class ListingToken extends OAuthTokenEntity {}

/** Records the SQL and parameters of every query. */
class RecordingLogger implements TypeOrmLogger {
  queries: Array<{ sql: string; parameters: unknown[] }> = [];
  logQuery(sql: string, parameters?: unknown[]): void {
    this.queries.push({ sql, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const ROWS = 20_000;

/**
 * TypeOrmTokenStorage's listings on PostgreSQL: one query each, answered from the
 * (userId, provider) and expiresAt indexes rather than a scan of the table.
 */
describe('TypeOrmTokenStorage listing on PostgreSQL', () => {
  let database: TestDatabase;
  const logger = new RecordingLogger();
  let storage: TypeOrmTokenStorage;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    database = await openTestDatabase(
      'postgres',
      'nd_listing',
      [ListingToken],
      {
        logger,
        logging: true,
      },
    );
    storage = new TypeOrmTokenStorage(database.dataSource, ListingToken);
    const rows = Array.from({ length: ROWS }, (_, i) => {
      const key = {
        provider: i % 2 ? 'github' : 'google',
        userId: `u${i % 5000}`,
      };
      const expiresAt = now + 3600 + i;
      return {
        ...key,
        providerUserId: `acct-${i}`,
        ownerKey: ownerKeyOf({ ...key, accountId: `acct-${i}` }),
        token: { access_token: `at-${i}`, expires_at: expiresAt },
        expiresAt,
      };
    });
    for (let i = 0; i < rows.length; i += 1000)
      await database.dataSource
        .getRepository(ListingToken)
        .insert(rows.slice(i, i + 1000));
    await database.dataSource.query('ANALYZE "nd_listing"."nd_listing_token"');
  }, 120_000);
  afterAll(() => database.close());

  async function planOf(call: () => Promise<unknown>): Promise<string> {
    logger.queries = [];
    await call();
    const selects = logger.queries.filter((q) => /^\s*SELECT/i.test(q.sql));
    expect(selects).toHaveLength(1);
    const rows: Array<{ 'QUERY PLAN': string }> =
      await database.dataSource.query(
        `EXPLAIN ${selects[0].sql}`,
        selects[0].parameters,
      );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  it('list() is one query on the (userId, provider) index', async () => {
    const listed = await storage.list({ userId: 'u42', provider: 'google' });
    expect(listed.map((e) => e.key.userId)).toEqual(
      Array(listed.length).fill('u42'),
    );
    expect(listed.length).toBeGreaterThan(0);
    const plan = await planOf(() =>
      storage.list({ userId: 'u42', provider: 'google' }),
    );
    expect(plan).toMatch(/Index/);
    expect(plan).not.toMatch(/Seq Scan/);
    const everyProvider = await planOf(() => storage.list({ userId: 'u42' }));
    expect(everyProvider).not.toMatch(/Seq Scan/);
  });

  it('listExpiring() is one query on the expiresAt index, soonest first', async () => {
    const due = await storage.listExpiring({
      before: now + 3600 + 50,
      limit: 10,
    });
    expect(due.map((e) => e.token.expires_at)).toEqual(
      Array.from({ length: 10 }, (_, i) => now + 3600 + i),
    );
    const plan = await planOf(() =>
      storage.listExpiring({ before: now + 3600 + 50, limit: 10 }),
    );
    expect(plan).toMatch(/Index/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});

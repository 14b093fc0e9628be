import {
  EncryptedTokenStorage,
  InvalidOptionsError,
  TokenKey,
} from 'nest-dance';
import {
  ReencryptTokensResult,
  TypeOrmTokenStorage,
  reencryptTokens,
} from 'nest-dance/typeorm';
import { DataSource, Entity } from 'typeorm';
import { OAuthTokenEntity } from 'nest-dance/typeorm';
import { TestDatabase, openTestDatabase } from '../support/databases';
import {
  AdvToken,
  PLANTED,
  envelopeOf,
  newKey,
  plantedToken,
  rawRows,
  writeRaw,
} from './support/token-table';

/** Not registered in any DataSource. */
@Entity('nd_adv_unregistered')
class Unregistered extends OAuthTokenEntity {}

/**
 * The key rotation helper against real PostgreSQL and SQLite: K1 -> K2 -> K1 retired in batches,
 * plaintext rows sealed, idempotent re-runs, undecryptable rows left alone and reported.
 */
describe.each([
  ['PostgreSQL', 'postgres'],
  ['SQLite', 'sqlite-file'],
] as const)('Adversarial: reencryptTokens on %s', (_name, kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const K1 = { id: 'k1', key: newKey() };
  const K2 = { id: 'k2', key: newKey() };
  const owners: TokenKey[] = [
    { provider: 'local', userId: 'alice' },
    { provider: 'local', userId: 'bob' },
    { provider: 'local', userId: null },
    { provider: 'local', userId: 'carol', accountId: 'work' },
    { provider: 'other', userId: "o'brien" },
  ];

  beforeAll(async () => {
    database = await openTestDatabase(kind, 'nd_adv_rot', [AdvToken]);
    dataSource = database.dataSource;
  });
  afterAll(() => database?.close());
  beforeEach(() => dataSource.getRepository(AdvToken).clear());

  const storage = (keys: (typeof K1)[]) =>
    new EncryptedTokenStorage(new TypeOrmTokenStorage(dataSource, AdvToken), {
      keys,
    });
  const keyIds = async () =>
    (await rawRows(dataSource)).map((row) =>
      PLANTED.test(row.raw) ? 'plaintext' : envelopeOf(row.raw).keyId,
    );

  it('K1 -> K2 -> K1 retired: every row moves in batches, nobody loses a token', async () => {
    const onK1 = storage([K1]);
    for (const [i, owner] of owners.entries())
      await onK1.set(owner, plantedToken(`o${i}`));
    expect(await keyIds()).toEqual(owners.map(() => 'k1'));
    const before = await rawRows(dataSource);

    const batches: ReencryptTokensResult[] = [];
    const result = await reencryptTokens(dataSource, AdvToken, {
      keys: [K2, K1],
      batchSize: 2,
      onBatch: (progress) => batches.push({ ...progress }),
    });
    expect(result).toEqual({
      scanned: 5,
      reencrypted: 5,
      encrypted: 0,
      current: 0,
      changed: 0,
      unreadable: [],
    });
    expect(batches.map((b) => b.scanned)).toEqual([2, 4, 5]);
    expect(await keyIds()).toEqual(owners.map(() => 'k2'));
    // Re-encryption is not a new token: updatedAt is kept.
    const after = await rawRows(dataSource);
    expect(after.map((r) => r.updatedAt.getTime())).toEqual(
      before.map((r) => r.updatedAt.getTime()),
    );

    const onK2Only = storage([K2]);
    for (const [i, owner] of owners.entries())
      expect(await onK2Only.get(owner)).toEqual(plantedToken(`o${i}`));
  });

  it('is idempotent: a second run writes nothing', async () => {
    const onK2 = storage([K2, K1]);
    for (const [i, owner] of owners.entries())
      await onK2.set(owner, plantedToken(`o${i}`));
    const before = (await rawRows(dataSource)).map((r) => r.raw);
    const first = await reencryptTokens(dataSource, AdvToken, {
      keys: [K2, K1],
    });
    const second = await reencryptTokens(dataSource, AdvToken, {
      keys: [K2, K1],
    });
    for (const result of [first, second]) {
      expect(result).toMatchObject({ scanned: 5, current: 5, reencrypted: 0 });
    }
    expect((await rawRows(dataSource)).map((r) => r.raw)).toEqual(before);
  });

  it("seals plaintext rows written before encryption was on, with plaintext: 'migrate'", async () => {
    const plain = new TypeOrmTokenStorage(dataSource, AdvToken);
    for (const [i, owner] of owners.entries())
      await plain.set(owner, plantedToken(`o${i}`));
    expect(await keyIds()).toEqual(owners.map(() => 'plaintext'));
    const result = await reencryptTokens(dataSource, AdvToken, {
      keys: [K1],
      plaintext: 'migrate',
    });
    expect(result).toMatchObject({ scanned: 5, encrypted: 5 });
    expect(await keyIds()).toEqual(owners.map(() => 'k1'));
    const sealed = storage([K1]);
    for (const [i, owner] of owners.entries())
      expect(await sealed.get(owner)).toEqual(plantedToken(`o${i}`));
  });

  it('leaves undecryptable rows untouched and reports them, without their values', async () => {
    const onK1 = storage([K1]);
    for (const [i, owner] of owners.entries())
      await onK1.set(owner, plantedToken(`o${i}`));
    const rows = await rawRows(dataSource);
    // Bob's row gets alice's ciphertext; a retired key sealed the userless row; one is garbage.
    await writeRaw(dataSource, 'bob', rows[0].raw);
    const retired = new EncryptedTokenStorage(
      new TypeOrmTokenStorage(dataSource, AdvToken),
      { keys: [{ id: 'k0', key: newKey() }] },
    );
    await retired.set(owners[4], plantedToken('retired'));
    await writeRaw(dataSource, 'alice', '{"unexpected":true}');
    const untouched = (await rawRows(dataSource)).map((r) => r.raw);

    const result = await reencryptTokens(dataSource, AdvToken, {
      keys: [K2, K1],
    });
    expect(result.reencrypted).toBe(2);
    expect(
      result.unreadable
        .map(({ provider, reason, keyId }) => ({ provider, reason, keyId }))
        .sort((a, b) => a.reason.localeCompare(b.reason)),
    ).toEqual([
      { provider: 'local', reason: 'malformed', keyId: undefined },
      { provider: 'local', reason: 'tampered', keyId: 'k1' },
      { provider: 'other', reason: 'unknown-key', keyId: 'k0' },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/PLANT|nest_dance_sealed/);
    const now = (await rawRows(dataSource)).map((r) => r.raw);
    for (const id of result.unreadable.map((u) => u.id)) {
      const index = rows.findIndex((r) => r.id === id);
      expect(now[index]).toBe(untouched[index]);
    }
    // Safe to re-run: the same three are reported, nothing else is written.
    const again = await reencryptTokens(dataSource, AdvToken, {
      keys: [K2, K1],
    });
    expect(again).toMatchObject({ reencrypted: 0, current: 2 });
    expect(again.unreadable).toHaveLength(3);
  });

  it('refuses bad input with errors that name the fix', async () => {
    await expect(
      reencryptTokens(dataSource, AdvToken, { keys: [] }),
    ).rejects.toThrow(InvalidOptionsError);
    await expect(
      reencryptTokens(dataSource, AdvToken, { keys: [K1], batchSize: 0 }),
    ).rejects.toThrow(/batchSize.*whole number/);
    await expect(
      reencryptTokens(dataSource, Unregistered, { keys: [K1] }),
    ).rejects.toThrow(/not an entity of this DataSource/);
    const closed = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
    });
    await expect(
      reencryptTokens(closed, AdvToken, { keys: [K1] }),
    ).rejects.toThrow(/not initialized.*initialize\(\)/);
  });
});

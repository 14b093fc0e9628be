import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { createDecipheriv } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  EncryptedTokenStorage,
  MemoryTokenStorage,
  OAuthToken,
  SessionTokenStorage,
  TokenEncryptionOptions,
  UnreadableTokenEvent,
  deriveKeyId,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { TypeOrmTokenStorage, reencryptTokens } from 'nest-dance/typeorm';
import { Keyv } from 'keyv';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import {
  REDIS_URL,
  TestDatabase,
  openTestDatabase,
} from '../support/databases';
import { freePort } from '../support/free-port';
import { AllLevelsLogger } from './support/log-capture';
import { SecureApp, dance, signIn, startSecureApp } from './support/secure-app';
import {
  AdvToken,
  PLANTED,
  advStorage,
  envelopeOf,
  newKey,
  plantedToken,
  plantingBlueprint,
  rawOf,
  rawRows,
  writeRaw,
} from './support/token-table';

/**
 * The security checklist, part 2: one `describe` per property of "Encryption at rest, done
 * right" in field.md, through the real dance (LocalAuthorizationServer) into real databases
 * (SQLite file, PostgreSQL), sessions and Redis, attacking what lies at rest.
 */
describe('Adversarial: encryption at rest', () => {
  let server: LocalAuthorizationServer;
  let sqlite: TestDatabase;
  let postgres: TestDatabase;
  let app: SecureApp | undefined;
  let logs: AllLevelsLogger;
  let unreadable: UnreadableTokenEvent[];
  let port: number | undefined;
  const K1 = { id: 'k1', key: newKey() };
  const K2 = { id: 'k2', key: newKey() };

  beforeAll(async () => {
    [server, sqlite, postgres] = await Promise.all([
      LocalAuthorizationServer.start(),
      openTestDatabase('sqlite-file', 'nd_adv_enc', [AdvToken]),
      openTestDatabase('postgres', 'nd_adv_enc', [AdvToken]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), sqlite?.close(), postgres?.close()]);
  });
  beforeEach(async () => {
    logs = new AllLevelsLogger();
    unreadable = [];
    await server.clearScriptedTokenResponses();
    await sqlite.dataSource.getRepository(AdvToken).clear();
    await postgres.dataSource.getRepository(AdvToken).clear();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /**
   * (Re)starts the app on `dataSource` with `keys` (none: encryption off), on the same port and
   * with a cookie session, so browsers stay signed in across restarts.
   */
  async function restart(
    dataSource: DataSource,
    keys?: TokenEncryptionOptions['keys'],
    extra: Parameters<typeof startSecureApp>[1] = {},
  ): Promise<SecureApp> {
    await app?.close();
    app = await startSecureApp(server, {
      port: (port ??= await freePort()),
      session: 'cookie-session',
      storage: advStorage(dataSource),
      blueprints: [plantingBlueprint(server)],
      logger: logs,
      encryption: keys
        ? { keys, onUnreadable: (event) => void unreadable.push(event) }
        : undefined,
      ...extra,
    });
    return app;
  }

  /** Signs `user` in on a new browser and dances with a planted token; returns the browser. */
  async function connect(user: string, token: OAuthToken = plantedToken(user)) {
    const browser = app!.browser();
    await signIn(browser, user);
    await server.scriptTokenResponse({ body: token });
    const response = await dance(browser, server, { user });
    expect(response.status).toBe(302);
    return browser;
  }

  const connection = async (browser: ReturnType<SecureApp['browser']>) =>
    (await browser.get('/me/connection').expect(200)).body as {
      connected: boolean;
      scope: string | null;
    };

  describe('AES-256-GCM from node:crypto', () => {
    it('a row written by the dance decrypts with node:crypto alone, per the documented envelope', async () => {
      await restart(sqlite.dataSource, [K1]);
      await connect('alice');
      const raw = await rawOf(sqlite.dataSource, 'alice');
      // Only the expiry stays readable (a cache in front needs it); every token field is sealed.
      expect(JSON.parse(raw)).toEqual({
        access_token: '',
        expires_at: expect.any(Number),
        nest_dance_sealed: expect.stringMatching(/^v1\.k1\.[A-Za-z0-9_-]+$/),
      });
      const { data } = envelopeOf(raw);
      const decipher = createDecipheriv(
        'aes-256-gcm',
        Buffer.from(K1.key, 'base64'),
        data.subarray(0, 12),
      );
      decipher.setAAD(Buffer.from('v1.k1.local|u:alice'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const token = JSON.parse(
        Buffer.concat([
          decipher.update(data.subarray(12, data.length - 16)),
          decipher.final(),
        ]).toString('utf8'),
      ) as OAuthToken;
      // The planted id_token is no JWT, so the engine left it out (see plantingBlueprint).
      const { id_token: _unvalidated, ...stored } = plantedToken('alice');
      expect(token).toMatchObject({
        ...stored,
        expires_at: expect.any(Number),
      });
      expect(token.id_token).toBeUndefined();
    });
  });

  describe('Random 96-bit IV per write', () => {
    it('the same token written twice gives two ciphertexts with two different 12-byte IVs', async () => {
      await restart(sqlite.dataSource, [K1]);
      const local = app!.blueprint();
      const token = plantedToken('twice');
      await local.setToken(token, { userId: 'alice' });
      const first = envelopeOf(await rawOf(sqlite.dataSource, 'alice'));
      await local.setToken(token, { userId: 'alice' });
      const second = envelopeOf(await rawOf(sqlite.dataSource, 'alice'));
      expect(first.sealed).not.toBe(second.sealed);
      expect(first.data.subarray(0, 12)).not.toEqual(
        second.data.subarray(0, 12),
      );
      expect(
        await local.getToken({ userId: 'alice', refresh: false }),
      ).toMatchObject({ access_token: token.access_token });
    });
  });

  describe('Key ring: the first key encrypts, every key decrypts, the key id is in the envelope (K1 -> K2 -> K1 retired)', () => {
    it('rotates without logging anyone out, and a retired key makes its leftover rows "no token"', async () => {
      // K1 only.
      await restart(sqlite.dataSource, [K1]);
      const alice = await connect('alice');
      expect(envelopeOf(await rawOf(sqlite.dataSource, 'alice')).keyId).toBe(
        'k1',
      );
      // A straggler written under K1 that the rotation will not reach (e.g. written by an old
      // process after the rotation ran).
      const straggler = new EncryptedTokenStorage(
        new TypeOrmTokenStorage(sqlite.dataSource, AdvToken),
        { keys: [K1] },
      );

      // K2 first, K1 still listed: old rows read, new writes use K2.
      await restart(sqlite.dataSource, [K2, K1]);
      expect(await connection(alice)).toEqual({
        connected: true,
        scope: 'PLANT-SCOPE-alice',
      });
      const bob = await connect('bob');
      expect(envelopeOf(await rawOf(sqlite.dataSource, 'bob')).keyId).toBe(
        'k2',
      );
      expect(envelopeOf(await rawOf(sqlite.dataSource, 'alice')).keyId).toBe(
        'k1',
      );

      // The helper moves every row to K2.
      const result = await reencryptTokens(sqlite.dataSource, AdvToken, {
        keys: [K2, K1],
      });
      expect(result).toMatchObject({
        scanned: 2,
        reencrypted: 1,
        current: 1,
        unreadable: [],
      });
      await straggler.set(
        { provider: 'local', userId: 'carol' },
        plantedToken('carol'),
      );

      // K1 retired.
      await restart(sqlite.dataSource, [K2]);
      expect(await connection(alice)).toMatchObject({ connected: true });
      expect(await connection(bob)).toMatchObject({ connected: true });
      const carol = app!.browser();
      await signIn(carol, 'carol');
      expect(await connection(carol)).toEqual({
        connected: false,
        scope: null,
      });
      expect(unreadable).toEqual([
        {
          key: { provider: 'local', userId: 'carol' },
          reason: 'unknown-key',
          keyId: 'k1',
        },
      ]);
      const warning = logs.of('warn', 'EncryptedTokenStorage');
      expect(warning).toHaveLength(1);
      expect(warning[0].text).toMatch(/unknown-key, key id 'k1'/);
      expect(warning[0].text).toMatch(/add the key with this id back/);
      // Carol connects again: her row is rewritten under K2.
      await server.scriptTokenResponse({ body: plantedToken('carol2') });
      await dance(carol, server, { user: 'carol' });
      expect(await connection(carol)).toMatchObject({ connected: true });
      expect(envelopeOf(await rawOf(sqlite.dataSource, 'carol')).keyId).toBe(
        'k2',
      );
    });

    it('a bare base64 key gets an id derived from it, the same in every process', async () => {
      const bare = newKey();
      await restart(sqlite.dataSource, [bare]);
      await connect('alice');
      expect(envelopeOf(await rawOf(sqlite.dataSource, 'alice')).keyId).toBe(
        deriveKeyId(Buffer.from(bare, 'base64')),
      );
      await restart(sqlite.dataSource, [newKey(), bare]);
      const alice = app!.browser();
      await signIn(alice, 'alice');
      expect(await connection(alice)).toMatchObject({ connected: true });
    });

    it('refuses bad keys at start-up, naming the fix and never the key', async () => {
      const short = Buffer.alloc(16, 7).toString('base64');
      await expect(restart(sqlite.dataSource, [short])).rejects.toThrow(
        /encryption\.keys\[0\] is not a base64 string of 32 bytes.*randomBytes\(32\)/,
      );
      await expect(restart(sqlite.dataSource, [])).rejects.toThrow(
        /non-empty array/,
      );
      await expect(
        restart(sqlite.dataSource, [K1, { id: 'k1', key: newKey() }]),
      ).rejects.toThrow(/id 'k1' of an earlier key/);
      app = undefined;
    });
  });

  describe('Associated data binds provider + user: a ciphertext moved to another row fails', () => {
    it.each([
      ['PostgreSQL', () => postgres.dataSource],
      ['SQLite', () => sqlite.dataSource],
    ])(
      "%s: alice's ciphertext copied into bob's row is no token for bob, and leaks nothing",
      async (_name, dataSourceOf) => {
        const dataSource = dataSourceOf();
        await restart(dataSource, [K1]);
        const alice = await connect('alice');
        const bob = await connect('bob');
        await writeRaw(dataSource, 'bob', await rawOf(dataSource, 'alice'));
        expect(await connection(bob)).toEqual({
          connected: false,
          scope: null,
        });
        expect(await connection(alice)).toMatchObject({ connected: true });
        expect(unreadable).toEqual([
          {
            key: { provider: 'local', userId: 'bob' },
            reason: 'tampered',
            keyId: 'k1',
          },
        ]);
        expect(logs.text()).not.toMatch(PLANTED);
        expect(logs.text()).not.toContain(
          envelopeOf(await rawOf(dataSource, 'bob')).sealed,
        );
      },
    );

    it("a ciphertext moved to the same user's row of another provider fails too", async () => {
      const keyring = new EncryptedTokenStorage(
        new TypeOrmTokenStorage(postgres.dataSource, AdvToken),
        { keys: [K1] },
      );
      await keyring.set(
        { provider: 'local', userId: 'alice' },
        plantedToken('a'),
      );
      await keyring.set(
        { provider: 'other', userId: 'alice' },
        plantedToken('b'),
      );
      await writeRaw(
        postgres.dataSource,
        'alice',
        await rawOf(postgres.dataSource, 'alice', 'local'),
        'other',
      );
      expect(
        await keyring.get({ provider: 'other', userId: 'alice' }),
      ).toBeNull();
      expect(
        await keyring.get({ provider: 'local', userId: 'alice' }),
      ).toMatchObject({ access_token: plantedToken('a').access_token });
    });
  });

  describe("Plaintext rows still readable with plaintext: 'migrate', and re-encrypted on the next write", () => {
    it('turning encryption on breaks nobody; the next write seals the row', async () => {
      await restart(sqlite.dataSource);
      const alice = await connect('alice');
      expect(await rawOf(sqlite.dataSource, 'alice')).toMatch(PLANTED);

      await restart(sqlite.dataSource, [K1], {
        encryption: {
          keys: [K1],
          plaintext: 'migrate',
          onUnreadable: (event) => void unreadable.push(event),
        },
      });
      expect(await connection(alice)).toEqual({
        connected: true,
        scope: 'PLANT-SCOPE-alice',
      });
      // Reading does not write.
      expect(await rawOf(sqlite.dataSource, 'alice')).toMatch(PLANTED);
      expect(unreadable).toEqual([]);

      await server.scriptTokenResponse({ body: plantedToken('alice-again') });
      await dance(alice, server, { user: 'alice' });
      const raw = await rawOf(sqlite.dataSource, 'alice');
      expect(raw).not.toMatch(PLANTED);
      expect(envelopeOf(raw).keyId).toBe('k1');
      expect(await connection(alice)).toEqual({
        connected: true,
        scope: 'PLANT-SCOPE-alice-again',
      });
    });
  });

  describe('Tampered ciphertext is "no token" with a warning: never a 500, never the token in the log', () => {
    const tamperings: Array<[string, (sealed: string) => string]> = [
      ['one flipped byte of the IV', (s) => flipByte(s, 0)],
      ['one flipped byte of the ciphertext', (s) => flipByte(s, 20)],
      ['one flipped byte of the GCM tag', (s) => flipByte(s, -1)],
      ['a truncated envelope', (s) => s.slice(0, s.length - 10)],
      ['another key id', (s) => s.replace('v1.k1.', 'v1.k9.')],
      ['another version', (s) => s.replace('v1.', 'v7.')],
      ['garbage', () => 'v1.k1.!!!not-base64!!!'],
    ];

    it.each(tamperings)(
      '%s: 200 "not connected", one warning without the value, and a new dance repairs it',
      async (_label, tamper) => {
        await restart(sqlite.dataSource, [K1]);
        const alice = await connect('alice');
        const { sealed } = envelopeOf(await rawOf(sqlite.dataSource, 'alice'));
        const forged = tamper(sealed);
        await writeRaw(
          sqlite.dataSource,
          'alice',
          JSON.stringify({ access_token: '', nest_dance_sealed: forged }),
        );
        expect(await connection(alice)).toEqual({
          connected: false,
          scope: null,
        });
        expect(await connection(alice)).toEqual({
          connected: false,
          scope: null,
        });
        expect(unreadable).toHaveLength(2);
        const warnings = logs.of('warn', 'EncryptedTokenStorage');
        expect(warnings).toHaveLength(1);
        expect(warnings[0].text).toMatch(/treated as missing/);
        const logged = logs.text();
        expect(logged).not.toMatch(PLANTED);
        expect(logged).not.toContain(forged.slice(8, 40));
        await server.scriptTokenResponse({ body: plantedToken('repaired') });
        await dance(alice, server, { user: 'alice' });
        expect(await connection(alice)).toMatchObject({ connected: true });
      },
    );
  });

  describe('Every token field, id_token and unknown extras included: nothing readable at rest', () => {
    it('the SQLite database file holds no byte of any planted field', async () => {
      await restart(sqlite.dataSource, [K1]);
      await connect('alice');
      await connect('bob');
      const raw = (await rawRows(sqlite.dataSource)).map((r) => r.raw).join();
      expect(raw).not.toMatch(PLANTED);
      const file = (sqlite.dataSource.options as { database: string }).database;
      const directory = dirname(file);
      for (const name of await readdir(directory)) {
        const bytes = await readFile(join(directory, name));
        expect(bytes.toString('latin1')).not.toMatch(PLANTED);
      }
    });

    it('an id_token written through the storage is sealed too (no field is left readable)', async () => {
      const sealed = new EncryptedTokenStorage(
        new TypeOrmTokenStorage(postgres.dataSource, AdvToken),
        { keys: [K1] },
      );
      const token = plantedToken('id-token-at-rest');
      await sealed.set({ provider: 'local', userId: 'dana' }, token);
      const [row] = await rawRows(postgres.dataSource);
      expect(row.raw).not.toContain(token.id_token);
      expect(row.raw).not.toMatch(PLANTED);
      expect(
        (await sealed.get({ provider: 'local', userId: 'dana' }))?.id_token,
      ).toBe(token.id_token);
    });

    it('PostgreSQL rows hold ciphertext only', async () => {
      await restart(postgres.dataSource, [K1]);
      await connect('alice');
      const [row] = await rawRows(postgres.dataSource);
      expect(row.raw).not.toMatch(PLANTED);
      expect(envelopeOf(row.raw).keyId).toBe('k1');
    });

    it('the express-session store holds ciphertext only', async () => {
      await restart(sqlite.dataSource, [K1], {
        storage: SessionTokenStorage,
        session: 'express-session',
      });
      const alice = await connect('alice');
      expect(await connection(alice)).toMatchObject({ connected: true });
      const sessions = await new Promise<unknown>((resolve, reject) =>
        app!.sessionStore!.all((error, all) =>
          error ? reject(error) : resolve(all),
        ),
      );
      const text = JSON.stringify(sessions);
      expect(text).toContain('nest_dance_sealed');
      expect(text).not.toMatch(PLANTED);
    });

    it('a cookie-only session (cookie-session) carries ciphertext only', async () => {
      await restart(sqlite.dataSource, [K1], {
        storage: SessionTokenStorage,
        session: 'cookie-session',
      });
      const alice = app!.browser();
      await signIn(alice, 'alice');
      await server.scriptTokenResponse({ body: plantedToken('alice') });
      const callback = await dance(alice, server, { user: 'alice' });
      expect(await connection(alice)).toMatchObject({ connected: true });
      const cookie = (callback.headers['set-cookie'] as unknown as string[])
        .find((c) => c.startsWith('app-session='))!
        .split(';')[0]
        .slice('app-session='.length);
      const content = Buffer.from(cookie, 'base64').toString('utf8');
      expect(content).toContain('nest_dance_sealed');
      expect(content).not.toMatch(PLANTED);
    });
  });

  describe('Caches hold only ciphertext: encryption sits outside the cache (Redis)', () => {
    it('Redis holds sealed envelopes and no planted value', async () => {
      const namespace = `nd-adv-enc-${process.pid}`;
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      try {
        await restart(postgres.dataSource, [K1], {
          cache: { timeout: 1000 },
          imports: [
            CacheModule.register({
              isGlobal: true,
              stores: [
                new Keyv({ store: new KeyvRedis(REDIS_URL), namespace }),
              ],
            }),
          ],
        });
        const alice = await connect('alice');
        // Reads fill the cache.
        expect(await connection(alice)).toMatchObject({ connected: true });
        expect(await connection(alice)).toMatchObject({ connected: true });
        const keys = await redis.keys(`*${namespace}*`);
        const values = await Promise.all(
          keys.map((key) => redis.get(key).catch(() => '')),
        );
        const cached = values.filter((v) => v?.includes('nest_dance_sealed'));
        expect(cached.length).toBeGreaterThan(0);
        expect(values.join('\n')).not.toMatch(PLANTED);
        await app!.close();
        app = undefined;
        for (const key of keys) await redis.del(key);
      } finally {
        await redis.quit();
      }
    });
  });

  describe('The memory storage, too, is wrapped (any storage)', () => {
    it('forRoot({ encryption }) wraps MemoryTokenStorage: what it holds is sealed', async () => {
      await restart(sqlite.dataSource, [K1], { storage: MemoryTokenStorage });
      await connect('alice');
      const atRest = await app!.storage.get({
        provider: 'local',
        userId: 'alice',
      });
      expect(atRest).toEqual({
        access_token: '',
        expires_at: expect.any(Number),
        nest_dance_sealed: expect.stringMatching(/^v1\.k1\./),
      });
      expect(app!.blueprint().storage).toBeInstanceOf(EncryptedTokenStorage);
    });
  });
});

/** The envelope with one byte of its data flipped (negative index: from the end). */
function flipByte(sealed: string, index: number): string {
  const [version, keyId, data] = sealed.split('.');
  const bytes = Buffer.from(data, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] ^= 0x01;
  return `${version}.${keyId}.${bytes.toString('base64url')}`;
}

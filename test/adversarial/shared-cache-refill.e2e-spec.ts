import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import {
  CachedTokenStorage,
  MemoryTokenStorage,
  OAuthToken,
  TokenCache,
  TokenKey,
  TokenStorage,
  tokenCacheKey,
} from 'nest-dance';
import { REDIS_URL } from '../support/databases';

/** Every Redis key of this file lives under this Keyv namespace. */
const NAMESPACE = `nd-refill-${process.pid}`;

const tokenOf = (label: string): OAuthToken => ({
  access_token: `${label}-access-secret`,
  refresh_token: `${label}-refresh-secret`,
  token_type: 'Bearer',
});

/** A pause point: `reached` resolves when the code gets there, which then waits for `release()`. */
interface Hold {
  reached: Promise<void>;
  release: () => void;
}

function newHold(): Hold & { arrive: () => Promise<void> } {
  let release!: () => void;
  let arrived!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  return {
    reached,
    release,
    arrive: () => {
      arrived();
      return released;
    },
  };
}

/**
 * The source of truth both processes share (a database in production), seen through a
 * view whose next read can be held after it has read: a slow reader in process A.
 */
class SlowReaderView extends TokenStorage {
  private hold?: ReturnType<typeof newHold>;
  /** How many reads reached the source of truth. */
  reads = 0;

  constructor(private readonly shared: TokenStorage) {
    super();
  }

  holdNextRead(): Hold {
    this.hold = newHold();
    return this.hold;
  }

  async get(key: TokenKey): Promise<OAuthToken | null> {
    this.reads++;
    const token = await this.shared.get(key);
    const hold = this.hold;
    this.hold = undefined;
    if (hold) await hold.arrive();
    return token;
  }

  set(key: TokenKey, token: OAuthToken): Promise<void> {
    return this.shared.set(key, token);
  }

  delete(key: TokenKey): Promise<void> {
    return this.shared.delete(key);
  }
}

/** Process A's connection to the shared Redis, whose next fill of a token can be held. */
class SlowFillCache implements TokenCache {
  private hold?: ReturnType<typeof newHold>;

  constructor(private readonly cache: TokenCache) {}

  holdNextFill(): Hold {
    this.hold = newHold();
    return this.hold;
  }

  get<T>(key: string): Promise<T | undefined | null> {
    return this.cache.get<T>(key);
  }

  async set<T>(key: string, value: T, ttl?: number): Promise<unknown> {
    const hold = this.hold;
    if (hold && key.startsWith('nest-dance:token:')) {
      this.hold = undefined;
      await hold.arrive();
    }
    return this.cache.set(key, value, ttl);
  }

  del(key: string): Promise<unknown> {
    return this.cache.del(key);
  }
}

/**
 * issue 13 #7: two processes share one Redis cache in front of one source of truth. Each
 * process is its own `CachedTokenStorage` with its own connection and in-process state, as
 * two Node processes have, so what one process knows about its own writes cannot help the
 * other: only what both see in Redis can.
 */
describe('issue 13 #7: a read in one process cannot refill the shared cache with a token another process deleted or replaced', () => {
  const redisCache = () =>
    createCache({
      stores: [
        new Keyv({ store: new KeyvRedis(REDIS_URL), namespace: NAMESPACE }),
      ],
    });
  const caches: Array<ReturnType<typeof createCache>> = [];
  let probe: Keyv;
  let counter = 0;

  beforeAll(() => {
    probe = new Keyv({
      store: new KeyvRedis(REDIS_URL),
      namespace: NAMESPACE,
    });
  });
  afterAll(async () => {
    await probe.clear();
    await probe.disconnect();
    await Promise.all(caches.map((cache) => cache.disconnect()));
  });

  /** Processes A and B over one source of truth and one Redis; A's reads and fills can be held. */
  async function twoProcesses() {
    const database = new MemoryTokenStorage();
    const viewOfA = new SlowReaderView(database);
    const viewOfB = new SlowReaderView(database);
    const redisOfA = redisCache();
    const redisOfB = redisCache();
    caches.push(redisOfA, redisOfB);
    const cacheOfA = new SlowFillCache(redisOfA);
    const options = { maxTtl: 60_000, timeout: 2_000 };
    const a = new CachedTokenStorage(viewOfA, cacheOfA, options);
    const b = new CachedTokenStorage(viewOfB, redisOfB, options);
    const key: TokenKey = { provider: 'github', userId: `user-${++counter}` };
    // Connect both clients before the race (a first connection can be slow).
    await Promise.all([a.get(key), b.get(key)]);
    return { a, b, viewOfA, viewOfB, cacheOfA, key };
  }

  const cachedCopy = (key: TokenKey) => probe.get(tokenCacheKey(key));

  it('process A read the row before process B deleted it: the deleted token does not come back', async () => {
    const { a, b, viewOfA, key } = await twoProcesses();
    await b.set(key, tokenOf('old'));

    const hold = viewOfA.holdNextRead();
    const slowRead = a.get(key);
    await hold.reached; // A has the row and is about to fill Redis
    await b.delete(key);
    hold.release();

    expect(await slowRead).toMatchObject(tokenOf('old'));
    expect(await cachedCopy(key)).toBeUndefined();
    expect(await a.get(key)).toBeNull();
    expect(await b.get(key)).toBeNull();
  });

  it('process A read the row before process B replaced it: the old token does not come back', async () => {
    const { a, b, viewOfA, key } = await twoProcesses();
    await b.set(key, tokenOf('old'));

    const hold = viewOfA.holdNextRead();
    const slowRead = a.get(key);
    await hold.reached;
    await b.set(key, tokenOf('new'));
    hold.release();

    expect(await slowRead).toMatchObject(tokenOf('old'));
    expect(await a.get(key)).toMatchObject(tokenOf('new'));
    expect(await b.get(key)).toMatchObject(tokenOf('new'));
  });

  it('process B deleted the row between A deciding to fill and the fill landing: A takes its fill back', async () => {
    const { a, b, cacheOfA, key } = await twoProcesses();
    await b.set(key, tokenOf('old'));

    const hold = cacheOfA.holdNextFill();
    const slowRead = a.get(key);
    await hold.reached; // A checked everything and its SET is on the wire
    await b.delete(key);
    hold.release();

    expect(await slowRead).toMatchObject(tokenOf('old'));
    expect(await cachedCopy(key)).toBeUndefined();
    expect(await a.get(key)).toBeNull();
    expect(await b.get(key)).toBeNull();
  });

  it('without writes in between, a read still fills the shared cache for the other process', async () => {
    const { a, b, viewOfB, key } = await twoProcesses();
    await b.set(key, tokenOf('kept'));
    expect(await a.get(key)).toMatchObject(tokenOf('kept'));
    expect(await cachedCopy(key)).toMatchObject(tokenOf('kept'));
    const readsOfB = viewOfB.reads;
    expect(await b.get(key)).toMatchObject(tokenOf('kept'));
    expect(viewOfB.reads).toBe(readsOfB); // served from Redis
  });
});

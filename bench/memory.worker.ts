import './register-paths';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Keyv } from 'keyv';
import {
  BlueprintRegistry,
  MemoryTokenStorage,
  OAuthConsumerModule,
  oauth2,
} from 'nest-dance';
import { sampleToken } from './bench-env';
import { serveChild } from './child';

/** What the memory scenario asks of its worker. */
export interface MemoryRun {
  users: number;
  reads: number;
  cacheBound: number;
}

/** heapUsed after a forced GC, in bytes, at each step of the run. */
export interface MemoryResult {
  seeded: number;
  cacheFull: number;
  afterReads: number;
  cacheEntries: number;
  readsPerSecond: number;
}

/** A Keyv store that holds at most `bound` entries, evicting the oldest (a bounded in-memory cache). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly bound: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.bound)
      this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory worker with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Scenario 5's worker (node --expose-gc): an application context with MemoryTokenStorage
 * behind the module's cache (`cache: true`) in a bounded in-memory Keyv store; reads tokens of
 * random users with `blueprint.getToken({ userId })`, 100 in flight.
 */
serveChild(async () => ({
  ready: true,
  handle: async (message): Promise<MemoryResult> => {
    const { users, reads, cacheBound } = message as MemoryRun;
    const store = new BoundedMap<string, unknown>(cacheBound);
    @Module({
      imports: [
        CacheModule.register({ isGlobal: true, stores: [new Keyv({ store })] }),
        OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1',
          storage: MemoryTokenStorage,
          cache: { maxTtl: 3_600_000 },
          blueprints: [
            oauth2({
              name: 'local',
              clientId: 'bench-client',
              clientSecret: 'bench-secret',
              authorizationUrl: 'http://127.0.0.1:9/authorize',
              tokenUrl: 'http://127.0.0.1:9/token',
            }),
          ],
        }),
      ],
    })
    class MemoryModule {}
    const app = await NestFactory.createApplicationContext(MemoryModule, {
      logger: false,
    });
    const blueprint = app.get(BlueprintRegistry).get('local');
    for (let user = 0; user < users; user++)
      await blueprint.setToken(sampleToken(`user-${user}`), {
        userId: `user-${user}`,
      });

    const read = async (count: number) => {
      for (let done = 0; done < count; done += 100)
        await Promise.all(
          Array.from({ length: Math.min(100, count - done) }, async () => {
            const userId = `user-${Math.floor(Math.random() * users)}`;
            if (!(await blueprint.getToken({ userId })))
              throw new Error(`no token for ${userId}`);
          }),
        );
    };
    const seeded = heapAfterGc();
    await read(cacheBound * 20);
    const cacheFull = heapAfterGc();
    const started = performance.now();
    await read(reads);
    const readsPerSecond = reads / ((performance.now() - started) / 1000);
    const afterReads = heapAfterGc();
    const result = {
      seeded,
      cacheFull,
      afterReads,
      cacheEntries: store.size,
      readsPerSecond,
    };
    await app.close();
    return result;
  },
}));

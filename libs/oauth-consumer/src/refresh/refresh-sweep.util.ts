import { Logger } from '@nestjs/common';
import type { Blueprint } from '../blueprint/blueprint';
import type { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { RefreshLockTimeoutError } from '../errors/refresh-lock-timeout.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import {
  connectionRecordOf,
  needsReconnect,
} from '../storage/token-connection.util';
import { StoredToken } from '../storage/token-list.interface';
import { listExpiringTokens } from '../storage/token-list.util';
import { serializeTokenKey } from '../storage/token-key.util';
import { TokenStorage } from '../storage/token-storage.interface';
import { RefreshDueOptions, RefreshDueResult } from './refresh-due.interface';
import { RefreshLease, RefreshLock } from './refresh-lock.interface';

/** The lock that keeps sweeps one at a time across processes. */
export const SWEEP_LOCK_NAME = 'nest-dance:refresh-sweep';
const PAGE = 100;

/** What a sweep needs of the refresher. */
export interface SweepRefresher {
  canRefresh(blueprint: Blueprint, token: OAuthToken): boolean;
  /** Refreshes under the token's lock unless, once won, it no longer expires before `before`. */
  refreshExpiring(
    blueprint: Blueprint,
    key: StoredToken['key'],
    token: OAuthToken,
    before: number,
  ): Promise<{ refreshedHere: boolean }>;
}

/**
 * One background sweep: under the sweep lock (skipped when another process holds it), pages
 * through every storage's tokens expiring within `within`, soonest first, and refreshes them
 * through the refresher (single flight and the token's own lock, re-reading it once won, so a
 * token refreshed meanwhile is left alone).
 */
export async function sweepDueTokens(
  refresher: SweepRefresher,
  registry: BlueprintRegistry,
  lock: RefreshLock,
  lockTtlMs: number,
  options: RefreshDueOptions,
  logger: Logger,
): Promise<RefreshDueResult> {
  const within = options.within ?? 300_000;
  const limit = options.limit ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const result: RefreshDueResult = {
    swept: false,
    refreshed: 0,
    alreadyFresh: 0,
    failed: 0,
    ignored: 0,
  };
  let lease: RefreshLease;
  try {
    lease = await lock.acquire(SWEEP_LOCK_NAME, {
      ttlMs: Math.max(lockTtlMs, 60_000),
      waitMs: 0,
    });
  } catch (error) {
    if (error instanceof RefreshLockTimeoutError) return result;
    throw error;
  }
  result.swept = true;
  try {
    const before = (Date.now() + within) / 1000;
    const byStorage = new Map<TokenStorage, Map<string, Blueprint>>();
    for (const blueprint of registry.all()) {
      if (blueprint.options.refreshUrl === false) continue;
      const names = byStorage.get(blueprint.storage) ?? new Map();
      names.set(blueprint.name, blueprint);
      byStorage.set(blueprint.storage, names);
    }
    // Runtime blueprints (the app's blueprintSource) are found from their tokens' provider.
    const source = registry.source;
    if (source?.sweepable && !byStorage.has(source.moduleStorage))
      byStorage.set(source.moduleStorage, new Map());
    let attempts = 0;
    for (const [storage, blueprints] of byStorage) {
      const seen = new Set<string>();
      let after: number | undefined;
      while (attempts < limit) {
        const page = await listExpiringTokens(storage, {
          before,
          limit: PAGE,
          ...(after === undefined ? {} : { after }),
        });
        const due: Array<[Blueprint, StoredToken]> = [];
        for (const entry of page) {
          const id = serializeTokenKey(entry.key);
          if (seen.has(id)) continue;
          seen.add(id);
          let blueprint = blueprints.get(entry.key.provider);
          if (!blueprint && source) {
            blueprint = await source.ofStoredToken(entry.key.provider, storage);
            if (blueprint?.options.refreshUrl === false) blueprint = undefined;
          }
          // A failure recorded by any process holds off every process until its retry time.
          const retryAt = connectionRecordOf(entry.token).refreshFailing
            ?.retryAt;
          if (
            !blueprint ||
            needsReconnect(entry.token) ||
            !refresher.canRefresh(blueprint, entry.token) ||
            (typeof retryAt === 'number' && retryAt > Date.now())
          ) {
            result.ignored++;
            continue;
          }
          due.push([blueprint, entry]);
        }
        const allowed = due.slice(0, limit - attempts);
        const progress = allowed.length;
        attempts += allowed.length;
        await inParallel(allowed, concurrency, async ([blueprint, entry]) => {
          try {
            const outcome = await refresher.refreshExpiring(
              blueprint,
              entry.key,
              entry.token,
              before,
            );
            if (outcome.refreshedHere) result.refreshed++;
            else result.alreadyFresh++;
          } catch {
            // The refresher logged it and told the listeners (connection events).
            result.failed++;
          }
        });
        if (page.length < PAGE) break;
        // Refreshed tokens leave the window, so the same query moves on; a full page of tokens
        // left alone (dead grants, failures) is skipped by starting after it.
        if (progress === 0) {
          const last = page[page.length - 1].token.expires_at as number;
          after = after !== undefined && last <= after ? after + 1 : last;
        }
      }
    }
  } finally {
    await lease
      .release()
      .catch((error: Error) =>
        logger.warn(
          `Releasing the refresh sweep lock failed: ${error.message}`,
        ),
      );
  }
  return result;
}

async function inParallel<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from(
    { length: Math.min(concurrency, items.length) },
    async () => {
      while (next < items.length) await work(items[next++]);
    },
  );
  await Promise.all(runners);
}

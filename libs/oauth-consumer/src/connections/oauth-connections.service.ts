import { Injectable } from '@nestjs/common';
import { Blueprint, DeleteTokenOptions } from '../blueprint/blueprint';
import { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { OAuthUserContext, TokenOwner } from '../context/oauth-user.context';
import { TokenRefresher } from '../refresh/token-refresher';
import { StoredToken } from '../storage/token-list.interface';
import { listTokens } from '../storage/token-list.util';
import { TokenStorage } from '../storage/token-storage.interface';
import { connectionOf } from './connection-status.util';
import { Connection } from './connection.interface';

/**
 * A user's connections across every blueprint: what a "connected accounts" page shows.
 * Reads the current user's (or an explicit owner's) stored tokens, one `list()` per storage,
 * and gives `Connection`s with their account, scopes, dates and status, never the tokens.
 * @publicApi
 */
@Injectable()
export class OAuthConnections {
  constructor(
    private readonly registry: BlueprintRegistry,
    private readonly context: OAuthUserContext,
    private readonly refresher: TokenRefresher,
  ) {}

  /**
   * Every connection of the current user (or `owner`), in blueprint order, oldest first
   * within a provider. Needs storages with `list()` (every shipped one has it).
   */
  async list(owner?: TokenOwner): Promise<Connection[]> {
    const blueprints = this.registry.all();
    const source = this.registry.source;
    if (!blueprints.length && !source) return [];
    const userId = this.context.ownerIdFor(
      'get',
      blueprints[0]?.name ?? 'connections',
      owner,
      blueprints.length ? blueprints.some((b) => b.userRequired) : undefined,
    );
    // Tenants' blueprints (the app's blueprintSource) this process has not resolved yet.
    if (source) blueprints.push(...(await source.ofUser(userId, blueprints)));
    const byStorage = new Map<TokenStorage, Blueprint[]>();
    for (const blueprint of blueprints) {
      const sharing = byStorage.get(blueprint.storage) ?? [];
      sharing.push(blueprint);
      byStorage.set(blueprint.storage, sharing);
    }
    const found = new Map<string, StoredToken[]>();
    for (const [storage, sharing] of byStorage) {
      const entries = await listTokens(
        storage,
        sharing.length === 1
          ? { userId, provider: sharing[0].name }
          : { userId },
      );
      for (const entry of entries) {
        if (!sharing.some((b) => b.name === entry.key.provider)) continue;
        const list = found.get(entry.key.provider) ?? [];
        list.push(entry);
        found.set(entry.key.provider, list);
      }
    }
    const now = Date.now();
    const connections: Connection[] = [];
    for (const blueprint of blueprints) {
      const entries = (found.get(blueprint.name) ?? []).map((entry) =>
        this.connectionFor(blueprint, entry, now),
      );
      entries.sort(
        (a, b) =>
          (a.connectedAt?.getTime() ?? 0) - (b.connectedAt?.getTime() ?? 0),
      );
      connections.push(...entries);
    }
    return connections;
  }

  /**
   * The connection of `provider` for the current user (or `owner`; its `accountId` picks one
   * of several accounts), or `null`. Reads one token: works with any storage.
   */
  async get(provider: string, owner?: TokenOwner): Promise<Connection | null> {
    const blueprint = await this.blueprintOf(provider);
    const key = blueprint.tokenKey('get', owner);
    const token = await blueprint.storage.get(key);
    return token ? this.connectionFor(blueprint, { key, token }) : null;
  }

  /**
   * Removes one connection (`accountId` picks one of several accounts), revoking it at the
   * provider first with `{ revoke: true }`; reports `connection.deleted`.
   */
  async disconnect(
    provider: string,
    accountId?: string,
    options: DeleteTokenOptions = {},
  ): Promise<{ revoked: boolean }> {
    const blueprint = await this.blueprintOf(provider);
    return blueprint.deleteToken(
      accountId === undefined ? options : { ...options, accountId },
    );
  }

  /** A static blueprint, or a tenant's from the app's blueprintSource; else UnknownBlueprintError. */
  private async blueprintOf(provider: string): Promise<Blueprint> {
    return (
      (await this.registry.resolve(provider)) ?? this.registry.get(provider)
    );
  }

  private connectionFor(
    blueprint: Blueprint,
    entry: StoredToken,
    now = Date.now(),
  ): Connection {
    return connectionOf(
      entry.key,
      entry.token,
      this.refresher.canRefresh(blueprint, entry.token),
      now,
    );
  }
}

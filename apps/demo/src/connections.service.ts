import {
  BadGatewayException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import {
  Blueprint,
  BlueprintRegistry,
  Connection as StoredConnection,
  ConnectionStatus,
  OAuthConnections,
  TokenMissingError,
  askableScopes,
  readLimitedBody,
} from 'nest-dance';
import { providerCallError } from './provider-call.error';

/** Injection token of the display titles of the providers, by blueprint name. */
export const PROVIDER_TITLES = Symbol('PROVIDER_TITLES');

/** One connected account of a provider, as the page and `GET /api/connections` show it. */
export interface ConnectedAccount {
  /** Which account (`TokenKey.accountId`), when the provider allows several. */
  accountId?: string;
  /** The account's name at the provider, from its profile. */
  name?: string;
  status: ConnectionStatus;
  /** When the access token expires (ISO 8601), or `null` when unknown. */
  expiresAt: string | null;
  scopes: string[];
  /** For `refresh-failing`: the last failure's kind and the next retry (ISO 8601). */
  lastError?: string;
  nextRetryAt?: string;
}

/** One provider as `GET /api/connections` lists it for the signed-in user. */
export interface Connection {
  /** The blueprint name (`local`, `github`...). */
  provider: string;
  /** What the page calls it. */
  title: string;
  /** Whether the user has a usable token for it (any account not waiting for a reconnect). */
  connected: boolean;
  /** The first account's status, or `not-connected`. */
  status: ConnectionStatus | 'not-connected';
  /** When the first account's access token expires (ISO 8601), or `null` when unknown or not connected. */
  expiresAt: string | null;
  /** The first account's granted scopes, space-separated, or `null` when unknown or not connected. */
  scope: string | null;
  /** Whether the user may connect another account of this provider. */
  multipleAccounts: boolean;
  /** Scopes the app may still ask the first account for ("ask for more access"). */
  moreScopes: string[];
  /** The login route asking for `moreScopes`, or `null` when there are none. */
  moreAccessUrl: string | null;
  /** Every connected account, oldest first. */
  accounts: ConnectedAccount[];
}

/** What the provider's user endpoint answered. */
export interface ProviderProfile {
  /** The blueprint name. */
  provider: string;
  /** The URL that was called (never with a token in it). */
  url: string;
  /** The JSON it answered. */
  body: unknown;
}

const PROFILE_TIMEOUT_MS = 10_000;
const MAX_PROFILE_BYTES = 256 * 1024;

/** The signed-in user's connections: list, call the user endpoint, disconnect. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly registry: BlueprintRegistry,
    private readonly connections: OAuthConnections,
    @Inject(PROVIDER_TITLES)
    private readonly titles: Readonly<Record<string, string>>,
  ) {}

  /**
   * Every configured provider and the current user's accounts there, with their status. With
   * `verify`, usable accounts are checked at the provider first (one user-info call each), so a
   * grant revoked or lost at the provider shows as "reconnect required" on this very page load.
   */
  async list(verify = false): Promise<Connection[]> {
    if (verify) await this.verifyAll(await this.connections.list());
    const stored = await this.connections.list();
    return this.registry.all().map((blueprint) => {
      const accounts = stored
        .filter((connection) => connection.provider === blueprint.name)
        .map(toAccount);
      const first = accounts[0];
      const granted = new Set(first?.scopes ?? []);
      const moreScopes = first
        ? askableScopes(blueprint.options).filter((s) => !granted.has(s))
        : [];
      return {
        provider: blueprint.name,
        title: this.titles[blueprint.name] ?? blueprint.name,
        connected: accounts.some((a) => a.status !== 'reconnect-required'),
        status: first?.status ?? 'not-connected',
        expiresAt: first?.expiresAt ?? null,
        scope: first && first.scopes.length ? first.scopes.join(' ') : null,
        multipleAccounts: blueprint.options.multipleAccounts === true,
        moreScopes,
        moreAccessUrl: moreScopes.length
          ? blueprint.loginUrlFor({ scopes: moreScopes, next: '/' })
          : null,
        accounts,
      };
    });
  }

  /** Calls each usable account's user endpoint: a refused token is refreshed, a dead grant marked. */
  private async verifyAll(connections: StoredConnection[]): Promise<void> {
    await Promise.all(
      connections
        .filter((c) => c.status === 'active' || c.status === 'expired')
        .map(async (connection) => {
          const blueprint = this.registry.get(connection.provider);
          const path = blueprint.options.userInfoUrl;
          if (!path) return;
          try {
            const response = await blueprint.fetch(path, {
              accountId: connection.accountId,
              signal: AbortSignal.timeout(PROFILE_TIMEOUT_MS),
            });
            await response.body?.cancel();
          } catch {
            // The refresher recorded what happened (refresh-failing, reconnect-required).
          }
        }),
    );
  }

  /** Calls the provider's user endpoint with the current user's token, through `blueprint.fetch`. */
  async profile(
    provider: string,
    accountId?: string,
  ): Promise<ProviderProfile> {
    const blueprint = this.blueprint(provider);
    accountId ??= await this.firstAccountId(provider);
    const path = blueprint.options.userInfoUrl;
    if (!path) {
      throw new NotFoundException(
        `Provider '${provider}' has no user endpoint: give its blueprint a userInfoUrl.`,
      );
    }
    let response: Response;
    try {
      response = await blueprint.fetch(path, {
        accountId,
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(PROFILE_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof TokenMissingError) {
        throw new ConflictException(
          `Not connected to '${provider}': connect first at ${blueprint.loginUrl ?? `/login/${provider}`}.`,
        );
      }
      this.logger.warn(
        `Calling the '${provider}' user endpoint failed: ${(error as Error).name}: ${(error as Error).message}`,
      );
      throw providerCallError(
        provider,
        'user endpoint',
        error,
        blueprint.loginUrl ?? `/login/${provider}`,
      );
    }
    const url = response.url || blueprint.apiUrl(path);
    const text = await readLimitedBody(response, MAX_PROFILE_BYTES);
    if (text === null) {
      throw new BadGatewayException(
        `The '${provider}' user endpoint answered more than ${MAX_PROFILE_BYTES} bytes.`,
      );
    }
    if (!response.ok) {
      throw new BadGatewayException(
        `The '${provider}' user endpoint answered HTTP ${response.status}` +
          (response.status === 401
            ? ': the token was refused; disconnect and connect again.'
            : '.'),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadGatewayException(
        `The '${provider}' user endpoint did not answer JSON.`,
      );
    }
    return { provider, url: stripQuery(url), body };
  }

  /** Deletes the current user's token, revoking it at the provider when it can. */
  async disconnect(
    provider: string,
    accountId?: string,
  ): Promise<{ provider: string; connected: boolean; revoked: boolean }> {
    this.blueprint(provider);
    accountId ??= await this.firstAccountId(provider);
    const { revoked } = await this.connections.disconnect(provider, accountId, {
      revoke: true,
    });
    const left = (await this.list()).find((c) => c.provider === provider);
    return { provider, connected: left?.connected ?? false, revoked };
  }

  /** The first account of `provider` when it allows several (else the only one's key). */
  private async firstAccountId(provider: string): Promise<string | undefined> {
    const blueprint = this.blueprint(provider);
    if (!blueprint.options.multipleAccounts) return undefined;
    const connections = await this.connections.list();
    const usable = connections.find(
      (c) => c.provider === provider && c.status !== 'reconnect-required',
    );
    return (usable ?? connections.find((c) => c.provider === provider))
      ?.accountId;
  }

  /** The blueprint named `provider`, or a 404 naming the configured ones. */
  blueprint(provider: string): Blueprint {
    if (!this.registry.has(provider)) {
      throw new NotFoundException(
        `Unknown provider '${provider}': this demo has ${this.registry.names().join(', ') || 'none'}.`,
      );
    }
    return this.registry.get(provider);
  }
}

function stripQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function toAccount(connection: StoredConnection): ConnectedAccount {
  const account: ConnectedAccount = {
    status: connection.status,
    expiresAt: connection.expiresAt?.toISOString() ?? null,
    scopes: connection.scopes,
  };
  if (connection.accountId !== undefined)
    account.accountId = connection.accountId;
  const name = connection.account?.name ?? connection.account?.id;
  if (name !== undefined) account.name = name;
  if (connection.lastError !== undefined)
    account.lastError = connection.lastError;
  if (connection.nextRetryAt)
    account.nextRetryAt = connection.nextRetryAt.toISOString();
  return account;
}

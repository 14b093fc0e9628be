import {
  BadGatewayException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { Blueprint, BlueprintRegistry, TokenMissingError } from 'nest-dance';
import { readLimitedText } from './http.util';
import { providerCallError } from './provider-call.error';

/** Injection token of the display titles of the providers, by blueprint name. */
export const PROVIDER_TITLES = Symbol('PROVIDER_TITLES');

/** One provider as `GET /api/connections` lists it for the signed-in user. */
export interface Connection {
  /** The blueprint name (`local`, `github`...). */
  provider: string;
  /** What the page calls it. */
  title: string;
  /** Whether the user has a token for it. */
  connected: boolean;
  /** When the access token expires (ISO 8601), or `null` when unknown or not connected. */
  expiresAt: string | null;
  /** The granted scopes, space-separated, or `null` when unknown or not connected. */
  scope: string | null;
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
    @Inject(PROVIDER_TITLES)
    private readonly titles: Readonly<Record<string, string>>,
  ) {}

  /** Every configured provider and whether the current user is connected to it. */
  async list(): Promise<Connection[]> {
    return Promise.all(
      this.registry.all().map(async (blueprint) => {
        // Read the stored token as is: listing must not trigger a refresh.
        const token = await blueprint.storage.get(blueprint.tokenKey('get'));
        const expiresAt = Number(token?.expires_at);
        return {
          provider: blueprint.name,
          title: this.titles[blueprint.name] ?? blueprint.name,
          connected: token !== null,
          expiresAt:
            token && Number.isFinite(expiresAt)
              ? new Date(expiresAt * 1000).toISOString()
              : null,
          scope: token && typeof token.scope === 'string' ? token.scope : null,
        };
      }),
    );
  }

  /** Calls the provider's user endpoint with the current user's token, through `blueprint.fetch`. */
  async profile(provider: string): Promise<ProviderProfile> {
    const blueprint = this.blueprint(provider);
    const path = blueprint.options.userInfoUrl;
    if (!path) {
      throw new NotFoundException(
        `Provider '${provider}' has no user endpoint: give its blueprint a userInfoUrl.`,
      );
    }
    let response: Response;
    try {
      response = await blueprint.fetch(path, {
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
    const text = await readLimitedText(response, MAX_PROFILE_BYTES);
    if (text === undefined) {
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
  ): Promise<{ provider: string; connected: false; revoked: boolean }> {
    const blueprint = this.blueprint(provider);
    const { revoked } = await blueprint.deleteToken({ revoke: true });
    return { provider, connected: false, revoked };
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

import type { Blueprint } from '../blueprint/blueprint';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { readFresh } from '../storage/fresh-read.util';
import { OAuthToken } from '../storage/oauth-token.interface';
import { tokenIdentityOf } from '../storage/token-identity.util';
import { TokenKey } from '../storage/token-key.interface';
import { serializeTokenKey } from '../storage/token-key.util';
import { withExpiresAt } from '../storage/token-expiry.util';
import type { TokenRefresher } from './token-refresher';

/**
 * The owner id app tokens (client credentials, RFC 6749 §4.4) are stored under, in the
 * blueprint's storage: `{ provider, userId: 'nest-dance:app' }`. Reserved: no user may have it.
 * @publicApi
 */
export const APP_TOKEN_OWNER = 'nest-dance:app';

/** The storage key of a blueprint's app token. */
export function appTokenKey(provider: string): TokenKey {
  return { provider, userId: APP_TOKEN_OWNER };
}

/**
 * Gets a blueprint's app token: the stored one while it is not due, else a new one from the
 * client credentials grant, asked for once however many callers wait: one request in flight per
 * process, and across processes the refresh lock of the token (`TokenRefresher.exclusive`),
 * re-reading the stored token once the lock is won, so a process that waited uses what the
 * winner stored.
 */
export class AppTokenIssuer {
  private readonly inFlight = new Map<string, Promise<OAuthToken>>();

  constructor(private readonly refresher: TokenRefresher) {}

  /** The app token; with `stale`, one other than it (the API refused it). */
  async token(blueprint: Blueprint, stale?: OAuthToken): Promise<OAuthToken> {
    const key = appTokenKey(blueprint.name);
    assertSharedStorage(blueprint, key);
    const current = await blueprint.storage.get(key);
    if (current && !this.needsNew(current, stale)) return current;
    const id = serializeTokenKey(key);
    let flight = this.inFlight.get(id);
    if (!flight) {
      flight = this.refresher
        .exclusive(blueprint, key, async () => {
          const again = await readFresh(blueprint.storage, key);
          if (again && !this.needsNew(again, stale)) return again;
          const fresh = withExpiresAt(
            await blueprint.tokenEndpoint.clientCredentials(),
          );
          await blueprint.storage.set(key, fresh);
          return fresh;
        })
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, flight);
    }
    return flight;
  }

  private needsNew(token: OAuthToken, stale?: OAuthToken): boolean {
    return (
      this.refresher.isDue(token) ||
      (stale !== undefined && token.access_token === stale.access_token)
    );
  }
}

/** App tokens belong to the whole app: a per-browser storage (the session) cannot hold them. */
function assertSharedStorage(blueprint: Blueprint, key: TokenKey): void {
  let shared: boolean;
  try {
    shared = tokenIdentityOf(blueprint.storage, key) === serializeTokenKey(key);
  } catch {
    shared = false;
  }
  if (!shared) {
    throw new InvalidOptionsError(
      `Blueprint '${blueprint.name}': app tokens (client credentials) are shared by the whole app, and ` +
        'its storage keeps tokens per browser session: give the blueprint (or the module) a shared ' +
        'storage, such as MemoryTokenStorage or TypeOrmTokenStorage.',
    );
  }
}

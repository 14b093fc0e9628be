import type { Blueprint } from '../blueprint/blueprint';
import { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { TokenOwner } from '../context/oauth-user.context';
import type { ConnectionEventType } from '../dance/oauth-hooks.interface';
import type { OAuthEvents } from '../dance/oauth.events';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import {
  CONNECTION_FIELD,
  RECONNECT_MARK,
  connectionRecordOf,
  needsReconnect,
  scopesOf,
  withConnectionRecord,
} from '../storage/token-connection.util';
import { withExpiresAt } from '../storage/token-expiry.util';
import { readFresh } from '../storage/fresh-read.util';

/**
 * Stores the token a dance brought as a connection: under the provider account's id when the
 * blueprint allows several accounts; with the account id and name from the profile and the
 * connection's first date; keeping the stored refresh token when a re-consent sends none
 * (Google only sends one on first consent); with the union of scopes when the provider reports
 * only the new ones. Reports `connection.created` or `connection.updated`.
 */
export async function storeDanceToken(
  blueprint: Blueprint,
  token: OAuthToken,
  profile: OAuthProfile | undefined,
  owner: TokenOwner | undefined,
  events: OAuthEvents,
): Promise<void> {
  const target: TokenOwner = { ...owner };
  if (blueprint.options.multipleAccounts) {
    if (!profile?.id) {
      throw new InvalidOptionsError(
        `Blueprint '${blueprint.name}' has multipleAccounts on, but the provider's profile gave no account ` +
          'id to tell accounts apart: give the blueprint userInfoUrl and profile (presets have them), ' +
          'or turn multipleAccounts off.',
      );
    }
    target.accountId = String(profile.id);
  }
  const key = blueprint.tokenKey('set', target);
  // The raw row, dead grants included: its first date and refresh token may carry over.
  // From the source of truth, past any cache (a stale copy's refresh token may have been
  // rotated out by another process since), leaving the cache alone: the write below drops
  // the cached copy anyway, so dropping it here too only cost a round trip per login.
  const previous = await readFresh(blueprint.storage, key, {
    keepCache: true,
  }).catch(() => null);
  const stored: OAuthToken = withExpiresAt(token);
  // Fields only nest-dance writes: a provider's answer cannot set them.
  delete stored[RECONNECT_MARK];
  delete stored[CONNECTION_FIELD];
  const alive = previous && !needsReconnect(previous) ? previous : null;
  if (
    stored.refresh_token === undefined &&
    typeof alive?.refresh_token === 'string'
  ) {
    stored.refresh_token = alive.refresh_token;
  }
  if (previous && typeof previous.scope === 'string') {
    if (stored.scope === undefined) stored.scope = previous.scope;
    else if (blueprint.options.scopeGrant === 'incremental' && alive) {
      stored.scope = [
        ...new Set([...scopesOf(previous), ...scopesOf(stored)]),
      ].join(' ');
    }
  }
  const before = previous ? connectionRecordOf(previous) : {};
  const now = Date.now();
  const account = profile?.id
    ? {
        accountId: String(profile.id),
        accountName: profile.name ?? profile.email ?? before.accountName,
      }
    : { accountId: before.accountId, accountName: before.accountName };
  const record = {
    ...account,
    connectedAt: before.connectedAt ?? now,
    updatedAt: now,
  };
  await blueprint.setToken(withConnectionRecord(stored, record), target);

  let type: ConnectionEventType | null = 'created';
  if (previous) {
    const sameScopes =
      scopesOf(previous).sort().join(' ') === scopesOf(stored).sort().join(' ');
    const sameAccount =
      before.accountId === record.accountId &&
      before.accountName === record.accountName;
    type =
      sameScopes && sameAccount && !needsReconnect(previous) ? null : 'updated';
  }
  if (!type) return;
  await events.emitConnection({
    type,
    blueprint,
    provider: blueprint.name,
    userId: key.userId,
    ...(key.accountId === undefined ? {} : { accountId: key.accountId }),
    ...(record.accountId === undefined
      ? {}
      : { account: { id: record.accountId, name: record.accountName } }),
    scopes: scopesOf(stored),
  });
}

import { OAuthToken } from '../storage/oauth-token.interface';
import {
  connectionRecordOf,
  needsReconnect,
  scopesOf,
} from '../storage/token-connection.util';
import { TokenKey } from '../storage/token-key.interface';
import { Connection, ConnectionStatus } from './connection.interface';

/**
 * The connection a stored token stands for, with its status at `nowMs`. `refreshable` says
 * whether the blueprint can refresh the token (it has a refresh token and a refresh URL).
 * @publicApi
 */
export function connectionOf(
  key: TokenKey,
  token: OAuthToken,
  refreshable: boolean,
  nowMs: number = Date.now(),
): Connection {
  const record = connectionRecordOf(token);
  const expiresAt =
    typeof token.expires_at === 'number'
      ? new Date(token.expires_at * 1000)
      : null;
  const expired = expiresAt !== null && expiresAt.getTime() <= nowMs;
  let status: ConnectionStatus = 'active';
  if (needsReconnect(token)) status = 'reconnect-required';
  else if (record.refreshFailing) status = 'refresh-failing';
  else if (expired) status = refreshable ? 'expired' : 'reconnect-required';
  const connection: Connection = {
    provider: key.provider,
    scopes: scopesOf(token),
    connectedAt: dateOf(record.connectedAt),
    updatedAt: dateOf(record.updatedAt),
    expiresAt,
    status,
  };
  if (key.accountId !== undefined) connection.accountId = key.accountId;
  if (record.accountId !== undefined) {
    connection.account = { id: record.accountId };
    if (record.accountName !== undefined)
      connection.account.name = record.accountName;
  }
  if (status === 'refresh-failing' && record.refreshFailing) {
    connection.lastError = record.refreshFailing.kind;
    connection.nextRetryAt = new Date(record.refreshFailing.retryAt);
  }
  return connection;
}

function dateOf(ms: number | undefined): Date | null {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : null;
}

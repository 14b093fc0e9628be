import { createHash } from 'node:crypto';
import { TokenKey } from '../storage/token-key.interface';
import { serializeTokenKey } from '../storage/token-key.util';

/**
 * The value of `OAuthTokenEntity.ownerKey` for `key`: the SHA-256 (64 lowercase hex digits) of
 * `serializeTokenKey(key)`. Use it in migrations that backfill existing token rows.
 * @publicApi
 */
export function ownerKeyOf(key: TokenKey): string {
  return createHash('sha256').update(serializeTokenKey(key)).digest('hex');
}

import { createHash } from 'node:crypto';
import { TokenKey } from '../storage/token-key.interface';
import { serializeTokenKey } from '../storage/token-key.util';
import { TokenKeyStrings } from '../storage/token-key-strings.util';

/** Entries remembered: about 1,000 keys of as many users, with their hashes (about 250 KB at most). */
const REMEMBERED = 2000;
/** Each key's hash. A pure function's memo: nothing observable. */
const hashes = new TokenKeyStrings(
  (key) => createHash('sha256').update(serializeTokenKey(key)).digest('hex'),
  REMEMBERED,
);

/**
 * The value of `OAuthTokenEntity.ownerKey` for `key`: the SHA-256 (64 lowercase hex digits) of
 * `serializeTokenKey(key)`. Use it in migrations that backfill existing token rows.
 * @publicApi
 */
export function ownerKeyOf(key: TokenKey): string {
  // Every token read needs its key's hash: hashing each time cost about a seventh of
  // TypeOrmTokenStorage.get's throughput with 32 reads in flight (bench scenario 2), and
  // serializing the key to look the hash up is a new string each time.
  return hashes.of(key);
}

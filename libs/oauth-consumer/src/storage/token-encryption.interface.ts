import { TokenKey } from './token-key.interface';

/**
 * One key of the encryption key ring: an id of your choice (1-64 letters, digits, `-`, `_`),
 * written into every envelope it seals, and 32 random bytes (base64 or base64url, or raw bytes).
 * @publicApi
 */
export interface TokenEncryptionKey {
  /** Names the key in the envelope, so the right key is found after rotation. */
  id: string;
  /** 32 bytes: a base64 / base64url string, or the bytes themselves. */
  key: string | Uint8Array;
}

/**
 * A key of the ring: a base64 string of 32 bytes (its id is then derived from the key, the same
 * in every process) or a `{ id, key }` object.
 * @publicApi
 */
export type TokenEncryptionKeyInput = string | TokenEncryptionKey;

/**
 * Why a stored token could not be decrypted: its key is no longer in the ring (`unknown-key`),
 * it fails authentication (`tampered`: changed, moved from another row, or sealed by another
 * key under the same id), it is not a valid envelope (`malformed`), it was written by a
 * newer envelope version (`unsupported-version`), or it is not encrypted at all (`plaintext`:
 * refused unless `plaintext: 'migrate'`, and always when it comes from the cache).
 * @publicApi
 */
export type UnreadableTokenReason =
  | 'unknown-key'
  | 'tampered'
  | 'malformed'
  | 'unsupported-version'
  | 'plaintext';

/**
 * What encryption does with a stored token that is not encrypted: `refuse` it (read as "no
 * token" and reported; the default), or accept it from the storage while `migrate`-ing a storage
 * that held tokens before encryption was turned on. Never accepted from the cache.
 * @publicApi
 */
export type PlaintextTokenMode = 'refuse' | 'migrate';

/**
 * Reported when a stored token cannot be decrypted; it is then read as "no token". Carries
 * whose token it was and why, never the stored value.
 * @publicApi
 */
export interface UnreadableTokenEvent {
  /** Whose token could not be read. */
  key: TokenKey;
  /** Why it could not be read. */
  reason: UnreadableTokenReason;
  /** The key id named by the envelope, when it names one. */
  keyId?: string;
  /**
   * `'cache'` when the value came from the cache in front of the storage (which was then read
   * instead): someone who can write to the cache (e.g. Redis) put it there.
   */
  source?: 'cache';
}

/**
 * Encryption at rest (`OAuthConsumerModule.forRoot({ encryption })` or `new EncryptedTokenStorage`):
 * AES-256-GCM with a key ring. The first key encrypts every write; every key decrypts, so a new
 * key goes first and old ones stay listed until `reencryptTokens` (from `nest-dance/typeorm`)
 * or ordinary writes have moved every token to it.
 * @publicApi
 */
export interface TokenEncryptionOptions {
  /** The key ring, current key first. At least one key. */
  keys: readonly TokenEncryptionKeyInput[];
  /**
   * Tokens found in the storage without encryption: `'refuse'` (default) reads them as "no
   * token" and reports them (`reason: 'plaintext'`), so a token planted in the table is never
   * used; `'migrate'` accepts them while a storage written before encryption was on is being
   * sealed (by `reencryptTokens({ plaintext: 'migrate' })` or by new writes), then goes back to
   * the default. A plaintext token in the cache is refused either way.
   */
  plaintext?: PlaintextTokenMode;
  /**
   * Called (besides a warning in the log) each time a stored token cannot be decrypted and
   * is read as "no token". Never receives the stored value.
   */
  onUnreadable?: (event: UnreadableTokenEvent) => void;
}

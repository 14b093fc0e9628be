import { Logger } from '@nestjs/common';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from './oauth-token.interface';
import { TokenCipher, isSealedToken } from './token-cipher.util';
import {
  PlaintextTokenMode,
  TokenEncryptionOptions,
  UnreadableTokenEvent,
  UnreadableTokenReason,
} from './token-encryption.interface';
import { TokenKey } from './token-key.interface';
import { serializeTokenKey } from './token-key.util';
import { FreshReadOptions, FreshReadable, readFresh } from './fresh-read.util';
import { tokenIdentityOf } from './token-identity.util';
import { TokenStorage } from './token-storage.interface';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from './token-list.interface';
import { listExpiringTokens, listTokens } from './token-list.util';

/** How many owners' unreadable tokens are remembered, to warn once per owner. */
const MAX_WARNED_OWNERS = 1000;

const FIX: Record<UnreadableTokenReason, string> = {
  'unknown-key':
    'add the key with this id back to encryption.keys: retired keys must stay listed until ' +
    'reencryptTokens() (nest-dance/typeorm) or new writes have moved every token to the current key.',
  tampered:
    'the stored value was changed, copied from another row, or sealed by another key under the ' +
    'same id; restore it from a backup or delete it (the user connects again).',
  malformed:
    'the stored value is not an envelope written by EncryptedTokenStorage; restore or delete it.',
  'unsupported-version':
    'it was written by a newer nest-dance; upgrade this process, or delete the token.',
  plaintext:
    'it is not encrypted, and with encryption on a plaintext token is refused: if this storage ' +
    "held tokens before encryption was turned on, set encryption: { plaintext: 'migrate' } until " +
    "reencryptTokens({ plaintext: 'migrate' }) (nest-dance/typeorm) or new writes have sealed " +
    'them all; otherwise it was written by someone else: delete it.',
};

/**
 * Encryption at rest around any storage (session, memory, TypeORM, custom): every token field,
 * `id_token` and unknown extras included, is sealed with AES-256-GCM into an envelope
 * `{ access_token: '', nest_dance_sealed: 'v1.<kid>.<data>' }` bound to its provider, user and
 * account. A token that is not encrypted is refused (read as "no token" and reported) unless
 * `plaintext: 'migrate'` accepts the storage's while it is being sealed; one from the cache
 * below is never taken: the storage is read instead. A token that cannot be decrypted (tampered,
 * moved between rows, key missing) is read as "no token", with a warning that never contains
 * the value. Turned on with
 * `OAuthConsumerModule.forRoot({ encryption: { keys } })`, outside the cache, so caches only
 * ever hold ciphertext.
 * @publicApi
 */
export class EncryptedTokenStorage
  extends TokenStorage
  implements FreshReadable
{
  private readonly logger = new Logger(EncryptedTokenStorage.name);
  private readonly cipher: TokenCipher;
  private readonly onUnreadable?: (event: UnreadableTokenEvent) => void;
  private readonly plaintext: PlaintextTokenMode;
  private readonly warned = new Set<string>();
  /** Whether the wrapped storage keeps tokens per session. */
  override readonly perSession?: boolean;

  constructor(
    /** The storage that holds the envelopes. */
    readonly storage: TokenStorage,
    /** The key ring, current key first (validated here: a bad key throws `InvalidOptionsError`). */
    encryption: TokenEncryptionOptions,
  ) {
    super();
    this.cipher = new TokenCipher(encryption?.keys);
    this.onUnreadable = encryption?.onUnreadable;
    this.plaintext = plaintextMode(encryption);
    this.perSession = storage.perSession;
  }

  /** The id of the key new writes are sealed with. */
  get currentKeyId(): string {
    return this.cipher.currentKeyId;
  }

  /** The decrypted token of `key`; `null` when there is none or it cannot be decrypted. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const stored = await this.storage.get(key);
    if (
      stored &&
      !isSealedToken(stored) &&
      typeof (this.storage as Partial<FreshReadable>).getFresh === 'function'
    ) {
      // A cache below may have answered, and cache keys are predictable: whoever can write
      // to the cache could have put this there. Only the storage itself is believed.
      const fresh = await readFresh(this.storage, key);
      if (fresh && !isSealedToken(fresh)) return this.open(key, fresh);
      this.report({ key: { ...key }, reason: 'plaintext', source: 'cache' });
      return this.open(key, fresh);
    }
    return this.open(key, stored);
  }

  /** Like `get`, reading past any cache below (refresh uses this). */
  async getFresh(
    key: TokenKey,
    options?: FreshReadOptions,
  ): Promise<OAuthToken | null> {
    return this.open(key, await readFresh(this.storage, key, options));
  }

  /** The storage's list, decrypted; tokens that cannot be decrypted are left out (and reported). */
  override async list(query: TokenListQuery): Promise<StoredToken[]> {
    return this.openAll(await listTokens(this.storage, query));
  }

  /** The storage's expiring tokens, decrypted, unreadable ones left out. */
  override async listExpiring(
    query: ExpiringTokenQuery,
  ): Promise<StoredToken[]> {
    return this.openAll(await listExpiringTokens(this.storage, query));
  }

  private async openAll(entries: StoredToken[]): Promise<StoredToken[]> {
    const opened: StoredToken[] = [];
    for (const entry of entries) {
      const token = await this.read(entry.key, Promise.resolve(entry.token));
      if (token) opened.push({ key: entry.key, token });
    }
    return opened;
  }

  private async read(
    key: TokenKey,
    reading: Promise<OAuthToken | null>,
  ): Promise<OAuthToken | null> {
    return this.open(key, await reading);
  }

  /** Opens what the storage itself holds for `key` (never a cache's answer). */
  private open(key: TokenKey, stored: OAuthToken | null): OAuthToken | null {
    if (!stored) return null;
    const opened = this.cipher.open(key, stored);
    if (opened.kind === 'sealed') return opened.token;
    if (opened.kind === 'plaintext') {
      if (this.plaintext === 'migrate') return opened.token;
      this.report({ key: { ...key }, reason: 'plaintext' });
      return null;
    }
    this.report({
      key: { ...key },
      reason: opened.reason,
      ...(opened.keyId === undefined ? {} : { keyId: opened.keyId }),
    });
    return null;
  }

  /** Seals `token` with the current key and stores the envelope. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    await this.storage.set(key, this.cipher.seal(key, token));
  }

  /** Deletes the token of `key`. */
  async delete(key: TokenKey): Promise<void> {
    await this.storage.delete(key);
  }

  /** The wrapped storage's identity of `key` (sealing changes where, not which, token). */
  override identityOf(key: TokenKey): string {
    return tokenIdentityOf(this.storage, key);
  }

  private report(event: UnreadableTokenEvent): void {
    const owner = `${event.source ?? 'storage'}|${serializeTokenKey(event.key)}`;
    if (!this.warned.has(owner)) {
      if (this.warned.size >= MAX_WARNED_OWNERS) this.warned.clear();
      this.warned.add(owner);
      const keyNote = event.keyId ? `, key id '${event.keyId}'` : '';
      this.logger.warn(
        event.source === 'cache'
          ? `The token cache held a '${event.key.provider}' token that is not encrypted although ` +
              'encryption is on: it was ignored and the storage read instead. Tokens are sealed ' +
              'before they reach the cache, so someone who can write to the cache (e.g. Redis) ' +
              'put it there: check who can reach it.'
          : `A stored '${event.key.provider}' token could not be decrypted (${event.reason}${keyNote}) ` +
              `and is treated as missing, so its user will be asked to connect again: ${FIX[event.reason]}`,
      );
    }
    try {
      this.onUnreadable?.(event);
    } catch (error) {
      this.logger.warn(
        `encryption.onUnreadable failed: ${error instanceof Error ? error.name : 'unknown error'}.`,
      );
    }
  }
}

/**
 * Internal: the wrapper `createBlueprintRegistry` puts around each storage when `encryption` is
 * set (one per storage instance), validating the keys at once; the identity otherwise.
 */
export function tokenEncryptionWrapper(
  encryption: TokenEncryptionOptions | undefined,
): (storage: TokenStorage) => TokenStorage {
  if (encryption === undefined) return (storage) => storage;
  // Validate at start-up, even when no blueprint uses a storage yet.
  new TokenCipher(encryption?.keys);
  plaintextMode(encryption);
  const wrappers = new Map<TokenStorage, EncryptedTokenStorage>();
  return (storage) => {
    let wrapped = wrappers.get(storage);
    if (!wrapped) {
      wrapped = new EncryptedTokenStorage(storage, encryption);
      wrappers.set(storage, wrapped);
    }
    return wrapped;
  };
}

/** Internal: the start-up warning of `plaintext: 'migrate'`, or undefined. */
export function plaintextMigrationWarning(
  encryption: TokenEncryptionOptions | undefined,
): string | undefined {
  if (encryption === undefined || plaintextMode(encryption) !== 'migrate')
    return undefined;
  return (
    "encryption.plaintext is 'migrate': tokens stored without encryption are still accepted " +
    'from the storage (never from the cache), so a plaintext token written into the table is ' +
    "used too. Once reencryptTokens({ plaintext: 'migrate' }) (nest-dance/typeorm) reports " +
    'encrypted: 0, or every token has been written again, remove it.'
  );
}

/** The plaintext mode of `encryption` (default `refuse`), refusing anything else. */
export function plaintextMode(
  encryption: TokenEncryptionOptions | undefined,
): PlaintextTokenMode {
  const mode = encryption?.plaintext ?? 'refuse';
  if (mode !== 'refuse' && mode !== 'migrate') {
    throw new InvalidOptionsError(
      `encryption.plaintext is ${JSON.stringify(mode)}: use 'refuse' (the default: tokens stored ` +
        "without encryption are read as no token) or 'migrate' (accept them from the storage " +
        'while it is being sealed).',
    );
  }
  return mode;
}

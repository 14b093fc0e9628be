import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from './oauth-token.interface';
import {
  TokenEncryptionKeyInput,
  UnreadableTokenReason,
} from './token-encryption.interface';
import { TokenKey } from './token-key.interface';
import { serializeTokenKey } from './token-key.util';

/**
 * The field of a stored envelope that holds the sealed token: `v1.<key id>.<base64url of
 * iv (12 bytes) | ciphertext | GCM tag (16 bytes)>`.
 * @publicApi
 */
export const SEALED_TOKEN_FIELD = 'nest_dance_sealed';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const GENERATE_HINT =
  "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"" +
  ' and pass it from your secret configuration (e.g. process.env.TOKEN_ENCRYPTION_KEY)';

/**
 * What a stored value turned out to be: a sealed token (and whether its key is the current
 * one), a plaintext token written before encryption was on, or something unreadable.
 * @publicApi
 */
export type OpenedToken =
  | { kind: 'sealed'; token: OAuthToken; keyId: string; current: boolean }
  | { kind: 'plaintext'; token: OAuthToken }
  | { kind: 'unreadable'; reason: UnreadableTokenReason; keyId?: string };

/**
 * Whether a stored token is an envelope sealed by `TokenCipher` (its `access_token` is an
 * empty placeholder: the real token is inside `nest_dance_sealed`).
 * @publicApi
 */
export function isSealedToken(token: unknown): boolean {
  return (
    typeof token === 'object' && token !== null && SEALED_TOKEN_FIELD in token
  );
}

/**
 * The id a key given as a bare base64 string gets: `k` and 8 base64url characters of a
 * SHA-256 of the key, so every process derives the same id from the same key.
 * @publicApi
 */
export function deriveKeyId(key: Uint8Array): string {
  return `k${createHash('sha256')
    .update('nest-dance key id\0')
    .update(key)
    .digest('base64url')
    .slice(0, 8)}`;
}

/**
 * AES-256-GCM for tokens with a key ring: seals a whole token (every field) into an envelope
 * that still has the `OAuthToken` shape, `{ access_token: '', nest_dance_sealed: 'v1.<kid>.<data>' }`,
 * with a fresh 96-bit IV per seal and associated data `v1.<kid>.` + `serializeTokenKey(key)`,
 * so an envelope only opens under the provider, user and account it was sealed for.
 * The first key seals; every key opens. Construction validates the keys.
 * @publicApi
 */
export class TokenCipher {
  /** The id of the key that seals. */
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: readonly TokenEncryptionKeyInput[]) {
    if (!Array.isArray(keys) || keys.length === 0) {
      throw new InvalidOptionsError(
        'encryption.keys must be a non-empty array of keys, current key first: ' +
          `${GENERATE_HINT}, then set encryption: { keys: [key] }.`,
      );
    }
    keys.forEach((input, index) => {
      const { id, key } = parseKey(input, index);
      if (this.keys.has(id)) {
        throw new InvalidOptionsError(
          `encryption.keys[${index}] has the id '${id}' of an earlier key: give each key its own ` +
            'id, or remove the duplicate key.',
        );
      }
      this.keys.set(id, key);
    });
    this.currentKeyId = this.keys.keys().next().value as string;
  }

  /** The ids of the ring, current first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Seals every field of `token` for `key` with the current key. */
  seal(key: TokenKey, token: OAuthToken): OAuthToken {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(keyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(keyId, key));
    const body = Buffer.concat([
      cipher.update(JSON.stringify(token), 'utf8'),
      cipher.final(),
    ]);
    const data = Buffer.concat([iv, body, cipher.getAuthTag()]);
    return {
      access_token: '',
      [SEALED_TOKEN_FIELD]: `${VERSION}.${keyId}.${data.toString('base64url')}`,
      // Not a secret, and a cache in front of the storage needs it: its entries must not
      // outlive the token.
      ...(typeof token.expires_at === 'number'
        ? { expires_at: token.expires_at }
        : {}),
    };
  }

  /** Opens what a storage holds for `key`: a sealed token, a plaintext token, or unreadable. */
  open(key: TokenKey, stored: OAuthToken): OpenedToken {
    if (!isSealedToken(stored)) return { kind: 'plaintext', token: stored };
    const sealed = stored[SEALED_TOKEN_FIELD];
    if (typeof sealed !== 'string') return unreadable('malformed');
    const parts = sealed.split('.');
    if (parts.length !== 3) return unreadable('malformed');
    const [version, keyId, encoded] = parts;
    if (version !== VERSION) return unreadable('unsupported-version');
    if (!KEY_ID.test(keyId)) return unreadable('malformed');
    const secret = this.keys.get(keyId);
    if (!secret) return unreadable('unknown-key', keyId);
    const data = Buffer.from(encoded, 'base64url');
    if (data.length < IV_BYTES + TAG_BYTES + 2) {
      return unreadable('malformed', keyId);
    }
    let plaintext: string;
    try {
      const decipher = createDecipheriv(
        ALGORITHM,
        secret,
        data.subarray(0, IV_BYTES),
        { authTagLength: TAG_BYTES },
      );
      decipher.setAAD(associatedData(keyId, key));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plaintext = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return unreadable('tampered', keyId);
    }
    let token: unknown;
    try {
      token = JSON.parse(plaintext);
    } catch {
      return unreadable('malformed', keyId);
    }
    if (
      typeof token !== 'object' ||
      token === null ||
      Array.isArray(token) ||
      typeof (token as OAuthToken).access_token !== 'string'
    ) {
      return unreadable('malformed', keyId);
    }
    return {
      kind: 'sealed',
      token: token as OAuthToken,
      keyId,
      current: keyId === this.currentKeyId,
    };
  }
}

function unreadable(
  reason: UnreadableTokenReason,
  keyId?: string,
): OpenedToken {
  return keyId === undefined
    ? { kind: 'unreadable', reason }
    : { kind: 'unreadable', reason, keyId };
}

function associatedData(keyId: string, key: TokenKey): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${serializeTokenKey(key)}`, 'utf8');
}

/** Validates one key of the ring; messages never contain the key itself. */
function parseKey(
  input: TokenEncryptionKeyInput,
  index: number,
): { id: string; key: Buffer } {
  const where = `encryption.keys[${index}]`;
  if (typeof input === 'string') {
    const key = decodeKey(input, where);
    return { id: deriveKeyId(key), key };
  }
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionsError(
      `${where} is ${input === undefined ? 'undefined (is its environment variable set?)' : typeof input}: ` +
        `give a base64 string of 32 bytes or { id, key }; ${GENERATE_HINT}.`,
    );
  }
  if (typeof input.id !== 'string' || !KEY_ID.test(input.id)) {
    throw new InvalidOptionsError(
      `${where}.id must be 1-64 letters, digits, '-' or '_' (e.g. '2026-01'): it is written into ` +
        'every envelope the key seals.',
    );
  }
  const key =
    input.key instanceof Uint8Array
      ? Buffer.from(input.key)
      : decodeKey(input.key, `${where}.key`);
  if (key.length !== KEY_BYTES) {
    throw new InvalidOptionsError(
      `${where}.key has ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES}: ${GENERATE_HINT}.`,
    );
  }
  return { id: input.id, key };
}

function decodeKey(value: unknown, where: string): Buffer {
  if (typeof value !== 'string') {
    throw new InvalidOptionsError(
      `${where} is ${value === undefined ? 'undefined (is its environment variable set?)' : `a ${typeof value}`}: ` +
        `give a base64 string of 32 bytes; ${GENERATE_HINT}.`,
    );
  }
  const trimmed = value.trim();
  const key = BASE64.test(trimmed)
    ? Buffer.from(
        trimmed,
        trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
      )
    : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new InvalidOptionsError(
      `${where} is not a base64 string of ${KEY_BYTES} bytes (a passphrase or a hex string will not do): ` +
        `${GENERATE_HINT}.`,
    );
  }
  return key;
}

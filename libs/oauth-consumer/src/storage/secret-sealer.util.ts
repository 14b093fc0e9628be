import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from './oauth-token.interface';
import { SEALED_TOKEN_FIELD, TokenCipher } from './token-cipher.util';
import { TokenEncryptionKeyInput } from './token-encryption.interface';

/** The reserved provider under which secrets are sealed (never a blueprint name: it has a ':'). */
const SECRET_PROVIDER = 'nest-dance:secret';

/**
 * Seals an app's own secrets (a tenant's client secret in the app's database) with the same
 * key ring as tokens at rest (`encryption.keys`): AES-256-GCM, the first key seals, every key
 * opens, and each sealed value opens only for the `purpose` it was sealed for (e.g.
 * `tenant:acme-okta:clientSecret`), so a value copied to another row does not open there.
 * @publicApi
 */
export class SecretSealer {
  private readonly cipher: TokenCipher;

  constructor(keys: readonly TokenEncryptionKeyInput[]) {
    this.cipher = new TokenCipher(keys);
  }

  /** `secret` sealed for `purpose`: a `v1.<key id>.<data>` string to store. */
  seal(purpose: string, secret: string): string {
    const envelope = this.cipher.seal(keyOf(purpose), {
      access_token: secret,
      token_type: 'secret',
    });
    return envelope[SEALED_TOKEN_FIELD] as string;
  }

  /** The secret sealed for `purpose`; throws naming the cause when it does not open. */
  open(purpose: string, sealed: string): string {
    const opened = this.cipher.open(keyOf(purpose), {
      access_token: '',
      [SEALED_TOKEN_FIELD]: sealed,
    } as OAuthToken);
    if (opened.kind === 'sealed') return opened.token.access_token;
    throw new InvalidOptionsError(
      opened.kind === 'plaintext'
        ? `The secret for '${purpose}' is not sealed.`
        : `The secret for '${purpose}' does not open (${opened.reason}${
            opened.keyId ? `, key ${opened.keyId}` : ''
          }): it was sealed for another purpose, changed, or with a key no longer in the ring.`,
    );
  }

  /** Whether `sealed` was sealed with an older key than the current one (seal it again). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.cipher.currentKeyId;
  }
}

function keyOf(purpose: string) {
  return { provider: SECRET_PROVIDER, userId: purpose };
}

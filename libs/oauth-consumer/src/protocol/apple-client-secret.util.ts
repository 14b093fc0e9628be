import { createPrivateKey } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { InvalidOptionsError } from '../errors/invalid-options.error';

/**
 * How Sign in with Apple's client secret is made: an ES256 JWT signed with the key you created
 * for Sign in with Apple (developer.apple.com → Keys), naming your team, the key and the Services ID.
 * @publicApi
 */
export interface AppleClientSecretOptions {
  /** The Services ID (the `client_id`): the JWT's `sub`. */
  clientId: string;
  /** Your 10-character Team ID: the JWT's `iss`. */
  teamId: string;
  /** The 10-character Key ID of the Sign in with Apple key: the JWT's `kid` header. */
  keyId: string;
  /** The key's `.p8` file content (a PKCS#8 PEM of a P-256 key). */
  privateKey: string;
  /** The audience (default `https://appleid.apple.com`). */
  audience?: string;
  /** How long each secret is valid, in seconds (default one hour; Apple allows up to 15777000, six months). */
  lifetimeSeconds?: number;
  /** Make a new one this many seconds before the current one expires (default 300). */
  renewBeforeSeconds?: number;
}

/** The longest lifetime Apple accepts (six months). */
const APPLE_MAX_LIFETIME = 15_777_000;

/**
 * Sign in with Apple's client secret, made when first needed, kept while valid and made
 * anew before it expires; one signature at a time even under concurrent token requests.
 * Its `secret` method is what a blueprint's `clientSecretFactory` calls.
 * @publicApi
 */
export class AppleClientSecret {
  private current?: { jwt: string; renewAt: number };
  private signing?: Promise<string>;
  private key?: Promise<CryptoKey>;
  private readonly lifetime: number;
  private readonly renewBefore: number;

  constructor(private readonly options: AppleClientSecretOptions) {
    for (const [option, hint] of [
      ['clientId', 'the Services ID, e.g. com.example.web'],
      [
        'teamId',
        'the 10-character Team ID from developer.apple.com → Membership',
      ],
      ['keyId', 'the 10-character Key ID of your Sign in with Apple key'],
      [
        'privateKey',
        "the content of the key's .p8 file, e.g. readFileSync('AuthKey_ABC123DEFG.p8', 'utf8')",
      ],
    ] as const) {
      const value = options?.[option];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new InvalidOptionsError(
          `apple(): ${option} is required to make the client secret: give ${hint}.`,
        );
      }
    }
    let curve: unknown;
    try {
      curve = createPrivateKey(options.privateKey).asymmetricKeyDetails
        ?.namedCurve;
    } catch {
      curve = undefined;
    }
    if (curve !== 'prime256v1') {
      throw new InvalidOptionsError(
        "apple(): privateKey is not a P-256 private key: give the content of the .p8 file Apple let you download ('-----BEGIN PRIVATE KEY-----').",
      );
    }
    this.lifetime = options.lifetimeSeconds ?? 3600;
    this.renewBefore = options.renewBeforeSeconds ?? 300;
    if (
      !Number.isInteger(this.lifetime) ||
      this.lifetime < 60 ||
      this.lifetime > APPLE_MAX_LIFETIME
    ) {
      throw new InvalidOptionsError(
        `apple(): lifetimeSeconds must be a whole number from 60 to ${APPLE_MAX_LIFETIME} (six months, Apple's limit).`,
      );
    }
    if (this.renewBefore < 0 || this.renewBefore >= this.lifetime) {
      throw new InvalidOptionsError(
        'apple(): renewBeforeSeconds must be at least 0 and less than lifetimeSeconds.',
      );
    }
  }

  /** The client secret: the cached JWT while it is not due for renewal, else a new one. */
  secret(): Promise<string> {
    const now = Date.now();
    if (this.current && now < this.current.renewAt)
      return Promise.resolve(this.current.jwt);
    this.signing ??= this.sign().finally(() => (this.signing = undefined));
    return this.signing;
  }

  private async sign(): Promise<string> {
    this.key ??= importPKCS8(
      createPrivateKey(this.options.privateKey)
        .export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      'ES256',
    );
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + this.lifetime;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.options.keyId })
      .setIssuer(this.options.teamId)
      .setSubject(this.options.clientId)
      .setAudience(this.options.audience ?? 'https://appleid.apple.com')
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    this.current = {
      jwt,
      renewAt: (expiresAt - this.renewBefore) * 1000,
    };
    return jwt;
  }
}

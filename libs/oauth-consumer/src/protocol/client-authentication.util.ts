import { createPrivateKey, KeyObject } from 'node:crypto';
import { importJWK, importPKCS8, JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import {
  ClientPrivateKey,
  OAuth2ClientOptions,
  TokenAuthMethod,
} from './oauth2-client-options.interface';

/** A chosen client authentication: its name (for messages) and how the engine applies it. */
export interface ClientAuthentication {
  method: TokenAuthMethod;
  apply: oauth.ClientAuth;
}

/** The methods a client secret can do, best first (RFC 6749 §2.3.1 obliges servers to do Basic). */
const SECRET_METHODS: readonly TokenAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
];

/**
 * The client authentication method of a blueprint: the one it names; `private_key_jwt` with a
 * private key; `none` without a secret; else, when the provider published its metadata, the best
 * secret method it lists in `token_endpoint_auth_methods_supported` (`client_secret_basic`
 * when it lists none, RFC 8414 §2), and `client_secret_post` for providers configured by hand.
 * Throws when the provider supports none of what the client can do.
 */
export function chooseTokenAuthMethod(
  options: Readonly<OAuth2ClientOptions>,
): TokenAuthMethod {
  if (options.tokenAuthMethod) {
    if (
      options.tokenAuthMethod === 'private_key_jwt' &&
      options.clientPrivateKey === undefined
    ) {
      throw new InvalidOptionsError(
        `Blueprint '${options.name}' uses private_key_jwt but has no clientPrivateKey: give the private key ` +
          '(PEM or JWK) whose public key is registered at the provider.',
      );
    }
    return options.tokenAuthMethod;
  }
  if (options.clientPrivateKey !== undefined) return 'private_key_jwt';
  if (
    options.clientSecret === undefined &&
    options.clientSecretFactory === undefined
  )
    return 'none';
  const metadata = options.serverMetadata;
  if (!metadata) return 'client_secret_post';
  const supported = metadata.token_endpoint_auth_methods_supported;
  if (!Array.isArray(supported) || supported.length === 0) {
    return 'client_secret_basic';
  }
  const method = SECRET_METHODS.find((candidate) =>
    supported.includes(candidate),
  );
  if (!method) {
    throw new InvalidOptionsError(
      `Blueprint '${options.name}': the provider authenticates clients by ${supported.join(', ')} ` +
        '(token_endpoint_auth_methods_supported), none of which a client secret does: give clientPrivateKey ' +
        'for private_key_jwt, or set tokenAuthMethod.',
    );
  }
  return method;
}

/**
 * Builds the engine's client authentication for `method`; imports the private key (PEM or JWK)
 * for `private_key_jwt`. Secret methods without a secret send the client id only, as before.
 */
export async function clientAuthenticationOf(
  options: Readonly<OAuth2ClientOptions>,
  method: TokenAuthMethod,
): Promise<ClientAuthentication> {
  const secret = options.clientSecret;
  const factory = options.clientSecretFactory;
  if (
    factory &&
    (method === 'client_secret_post' || method === 'client_secret_basic')
  ) {
    // A secret made per request (Apple's JWT, renewed before it expires).
    return {
      method,
      apply: async (as, client, body, headers) => {
        const made = await factory();
        const apply =
          method === 'client_secret_post'
            ? oauth.ClientSecretPost(made)
            : basic(made);
        await apply(as, client, body, headers);
      },
    };
  }
  switch (method) {
    case 'private_key_jwt': {
      const { key, kid } = await importClientKey(options);
      return { method, apply: oauth.PrivateKeyJwt({ key, kid }) };
    }
    case 'client_secret_basic':
      return { method, apply: secret ? basic(secret) : oauth.None() };
    case 'client_secret_post':
      return {
        method,
        apply: secret ? oauth.ClientSecretPost(secret) : oauth.None(),
      };
    case 'client_secret_jwt':
      if (!secret) {
        throw new InvalidOptionsError(
          `Blueprint '${options.name}' uses client_secret_jwt but has no clientSecret.`,
        );
      }
      return { method, apply: oauth.ClientSecretJwt(secret) };
    case 'none':
      return { method, apply: oauth.None() };
  }
}

/**
 * HTTP Basic (RFC 6749 §2.3.1). Ours rather than the engine's: the engine also percent-encodes
 * `-_.!~*'()`, and servers that compare the raw client id refuse `client%2Did`.
 */
function basic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${formEncode(client.client_id)}:${formEncode(secret)}`;
    headers.set(
      'authorization',
      `Basic ${Buffer.from(credentials).toString('base64')}`,
    );
  };
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** Imports `clientPrivateKey` as a signing CryptoKey, with the JWS algorithm its type implies. */
async function importClientKey(
  options: Readonly<OAuth2ClientOptions>,
): Promise<{ key: CryptoKey; kid?: string }> {
  const input = options.clientPrivateKey as ClientPrivateKey;
  const fail = (why: string) =>
    new InvalidOptionsError(
      `Blueprint '${options.name}': clientPrivateKey ${why}. Give a PKCS#8 PEM ('-----BEGIN PRIVATE KEY-----') ` +
        'or a private JWK (RSA, EC or Ed25519).',
    );
  if (typeof input === 'string') {
    let keyObject: KeyObject;
    try {
      keyObject = createPrivateKey(input);
    } catch {
      throw fail('is not a PEM private key');
    }
    const alg = algorithmOf(keyObject);
    if (!alg) throw fail(`is a ${keyObject.asymmetricKeyType} key`);
    const pem = keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
    return { key: await importPKCS8(pem, alg), kid: options.clientKeyId };
  }
  const jwk = input as JWK;
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') {
    throw fail('is neither a PEM string nor a JWK');
  }
  if (jwk.d === undefined) throw fail('is a public JWK (it has no "d")');
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: jwk as never, format: 'jwk' });
  } catch {
    throw fail('is not a valid private JWK');
  }
  const alg = jwk.alg ?? algorithmOf(keyObject);
  if (!alg) throw fail(`is a ${jwk.kty} key`);
  const key = (await importJWK(jwk, alg)) as CryptoKey;
  return { key, kid: options.clientKeyId ?? jwk.kid };
}

/** The JWS algorithm for a private key: RS256, PS256, ES256/384/512 or Ed25519. */
function algorithmOf(key: KeyObject): string | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'Ed25519';
    case 'ec':
      return (
        {
          prime256v1: 'ES256',
          secp384r1: 'ES384',
          secp521r1: 'ES512',
        } as Record<string, string>
      )[String(key.asymmetricKeyDetails?.namedCurve)];
    default:
      return undefined;
  }
}

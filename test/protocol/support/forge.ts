import { createHmac } from 'node:crypto';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  JWK,
  JWTPayload,
  SignJWT,
} from 'jose';

/** An RS256 key pair for a LocalAuthorizationServer, so that tests can sign as the server. */
export interface ServerKey {
  /** The private JWK to give `LocalAuthorizationServer.start({ signingKey })`. */
  jwk: JWK & { kid: string };
  privateKey: CryptoKey;
  /** The public key as PEM (what an alg-confusion attacker would use as an HMAC secret). */
  publicPem: string;
}

/** A fresh RS256 key pair with a `kid`. */
export async function serverKey(kid = 'test-signing-key'): Promise<ServerKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    extractable: true,
  });
  return {
    jwk: { ...(await exportJWK(privateKey)), kid },
    privateKey,
    publicPem: await exportSPKI(publicKey),
  };
}

/** Signs `claims` as an ID token with `key` (RS256). */
export function signIdToken(
  claims: JWTPayload,
  key: CryptoKey,
  kid: string,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(key);
}

/** An unsigned token (`alg: none`), as an attacker would send it. */
export function unsignedIdToken(claims: JWTPayload): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/**
 * An HS256 token whose HMAC secret is the server's public key: the algorithm confusion attack
 * against verifiers that take the algorithm from the token.
 */
export function hs256WithPublicKey(
  claims: JWTPayload,
  publicPem: string,
  kid: string,
): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'HS256', kid, typ: 'JWT' })}.${part(claims)}`;
  const signature = createHmac('sha256', publicPem)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * A fresh PKCE code verifier: 32 random bytes, base64url (43 characters, RFC 7636 §4.1).
 * @publicApi
 */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The S256 code challenge of `verifier` (RFC 7636 §4.2).
 * @publicApi
 */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

import { OAuthToken } from './oauth-token.interface';

/**
 * Returns a copy of `token` with `expires_at` (epoch seconds) computed from `expires_in`
 * at `nowMs`. A token with an explicit `expires_at` and no `expires_in` keeps its own.
 * @publicApi
 */
export function withExpiresAt(
  token: OAuthToken,
  nowMs: number = Date.now(),
): OAuthToken {
  const copy: OAuthToken = { ...token };
  const expiresIn = Number(token.expires_in);
  if (token.expires_in !== undefined && Number.isFinite(expiresIn)) {
    copy.expires_at = Math.floor(nowMs / 1000) + Math.floor(expiresIn);
  }
  return copy;
}

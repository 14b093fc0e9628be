/**
 * Identifies one stored token: which provider, which user (null for the userless row),
 * and optionally which of several accounts of that provider the user connected.
 * @publicApi
 */
export interface TokenKey {
  provider: string;
  userId: string | null;
  accountId?: string;
}

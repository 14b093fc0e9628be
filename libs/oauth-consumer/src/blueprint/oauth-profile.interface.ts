/**
 * Who the user is at the provider, mapped from its user-info response by a blueprint's `profile`.
 * @publicApi
 */
export interface OAuthProfile {
  /** The user's stable id at the provider. */
  id: string;
  name?: string;
  email?: string;
  avatarUrl?: string;
  /** The provider's response as it came. */
  raw: Record<string, unknown>;
}

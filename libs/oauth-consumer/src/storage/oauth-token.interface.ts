/**
 * A token as the provider's token endpoint returned it (RFC 6749 §5.1, snake_case),
 * plus `expires_at` (epoch seconds) computed when it is stored. Unknown fields are kept.
 * @publicApi
 */
export interface OAuthToken {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  expires_in?: number;
  /** Epoch seconds at which the access token expires; computed from `expires_in` on store. */
  expires_at?: number;
  scope?: string;
  id_token?: string;
  /** Provider-specific extra fields are kept as they came. */
  [field: string]: unknown;
}

import { Type } from '@nestjs/common';
import { TokenStorage } from '../storage/token-storage.interface';

/**
 * Options every preset takes (`github({ clientId, clientSecret, scope })`); presets add their own.
 * @publicApi
 */
export interface PresetOptions {
  /** The blueprint name: route segment and token `provider` (default: the provider's name, e.g. `github`). */
  name?: string;
  /** The client id the provider's developer console issued to this app. */
  clientId: string;
  /** The client secret from the same console; omit only for public clients the provider allows. */
  clientSecret?: string;
  /** Scopes to ask for, replacing the preset's defaults (an array, or one space-separated string). */
  scope?: string | readonly string[];
  /** The callback URL registered at the provider; built from the app's public origin when omitted. */
  redirectUrl?: string;
  /** Where the browser goes after the dance (default: the module's `redirectTo`). */
  redirectTo?: string;
  /** A storage class for this blueprint's tokens instead of the module's `storage`. */
  storage?: Type<TokenStorage>;
  /** Extra authorization request parameters, merged over the preset's own. */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Let a user connect several accounts of this provider (see `BlueprintOptions.multipleAccounts`). */
  multipleAccounts?: boolean;
  /** Scopes the login route may add from its query string (see `BlueprintOptions.queryScopes`). */
  queryScopes?: readonly string[];
  /** Whether the provider's `scope` lists every granted scope or only the new ones (see `BlueprintOptions.scopeGrant`). */
  scopeGrant?: 'full' | 'incremental';
}

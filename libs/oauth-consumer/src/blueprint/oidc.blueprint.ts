import { BlueprintOptions } from './blueprint-options.interface';
import { OAuthProfile } from './oauth-profile.interface';
import { oauth2 } from './oauth2.blueprint';

/**
 * Options of `oidc()`: a name, the issuer, the client, and anything of `BlueprintOptions`
 * to override what discovery finds.
 * @publicApi
 */
export interface OidcBlueprintOptions extends Partial<BlueprintOptions> {
  name: string;
  /** The issuer identifier, e.g. `https://accounts.example.com`. */
  issuer: string;
  clientId: string;
}

/**
 * A blueprint for any OpenID Connect provider, configured from its discovery document
 * (`{issuer}/.well-known/openid-configuration`, read once at start-up and cached).
 * Asks for `openid profile email` and maps the standard claims to a profile.
 * @publicApi
 */
export function oidc(options: OidcBlueprintOptions): BlueprintOptions {
  const issuer = options.issuer.replace(/\/+$/, '');
  return oauth2({
    scope: ['openid', 'profile', 'email'],
    profile: standardClaimsProfile,
    ...options,
    issuer,
    discoveryUrl:
      options.discoveryUrl ?? `${issuer}/.well-known/openid-configuration`,
  });
}

/**
 * Maps OpenID Connect standard claims (`sub`, `name`, `email`, `picture`) to a profile.
 * @publicApi
 */
export function standardClaimsProfile(
  claims: Record<string, unknown>,
): OAuthProfile {
  const text = (value: unknown) =>
    typeof value === 'string' ? value : undefined;
  return {
    id: String(claims.sub),
    name: text(claims.name) ?? text(claims.preferred_username),
    email: text(claims.email),
    avatarUrl: text(claims.picture),
    raw: claims,
  };
}

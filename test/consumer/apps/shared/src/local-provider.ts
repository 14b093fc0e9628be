import { BlueprintOptions, oidc } from 'nest-dance';

/** The OpenID Connect provider the app's `local` blueprint talks to, and the app's own URL. */
export interface LocalProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  publicUrl: string;
}

/** The `local` blueprint: configured from the provider's discovery document. */
export function localBlueprint(provider: LocalProvider): BlueprintOptions {
  return oidc({
    name: 'local',
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    scope: ['openid', 'profile', 'email', 'offline_access'],
    baseUrl: provider.issuer,
  });
}

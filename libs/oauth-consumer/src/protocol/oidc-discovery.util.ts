import { InvalidOptionsError } from '../errors/invalid-options.error';
import { readLimitedBody } from './limited-body.util';
import { BlueprintOptions } from '../blueprint/blueprint-options.interface';

/** The parts of an OpenID Provider's metadata that a blueprint uses (OIDC Discovery §3). */
interface ProviderMetadata {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
  token_endpoint_auth_methods_supported?: string[];
}

const discoveries = new Map<string, Promise<ProviderMetadata>>();
const MAX_DISCOVERY_BYTES = 256 * 1024;

/**
 * Fills a blueprint's endpoints from its OpenID Connect discovery document, read once per
 * URL and process (cached) and only at start-up. Options given explicitly win.
 */
export async function withDiscoveredEndpoints(
  options: BlueprintOptions,
): Promise<BlueprintOptions> {
  if (!options.discoveryUrl) return options;
  const metadata = await discover(options.name, options.discoveryUrl);
  const authMethods = metadata.token_endpoint_auth_methods_supported ?? [];
  return {
    ...options,
    issuer: options.issuer ?? metadata.issuer,
    authorizationUrl:
      options.authorizationUrl ?? metadata.authorization_endpoint,
    tokenUrl: options.tokenUrl ?? metadata.token_endpoint,
    userInfoUrl: options.userInfoUrl ?? metadata.userinfo_endpoint,
    revocationUrl: options.revocationUrl ?? metadata.revocation_endpoint,
    baseUrl: options.baseUrl ?? metadata.issuer,
    requireIss:
      options.requireIss ??
      metadata.authorization_response_iss_parameter_supported === true,
    tokenAuthMethod:
      options.tokenAuthMethod ??
      (authMethods.length > 0 &&
      !authMethods.includes('client_secret_post') &&
      authMethods.includes('client_secret_basic')
        ? 'client_secret_basic'
        : undefined),
  };
}

function discover(name: string, url: string): Promise<ProviderMetadata> {
  let pending = discoveries.get(url);
  if (!pending) {
    pending = fetchMetadata(name, url);
    discoveries.set(url, pending);
    // A failed discovery is not cached: the next start-up tries again.
    pending.catch(() => discoveries.delete(url));
  }
  return pending;
}

async function fetchMetadata(
  name: string,
  url: string,
): Promise<ProviderMetadata> {
  const fail = (why: string) =>
    new InvalidOptionsError(
      `Blueprint '${name}': OpenID Connect discovery at ${url} failed (${why}). Check the issuer URL, ` +
        'or give authorizationUrl and tokenUrl explicitly.',
    );
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw fail(
      (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable',
    );
  }
  if (!response.ok) throw fail(`HTTP ${response.status}`);
  const text = await readLimitedBody(response, MAX_DISCOVERY_BYTES);
  if (text === null) throw fail('document too large');
  let metadata: ProviderMetadata;
  try {
    metadata = JSON.parse(text) as ProviderMetadata;
  } catch {
    throw fail('not JSON');
  }
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw fail('no authorization_endpoint or token_endpoint');
  }
  return metadata;
}

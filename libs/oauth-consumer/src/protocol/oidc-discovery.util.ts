import * as oauth from 'oauth4webapi';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import {
  DEFAULT_LIMITS,
  Exchange,
  limitedFetch,
  TransportFailure,
} from './http-transport.util';
import { OAuth2ClientOptions } from './oauth2-client-options.interface';

/** The discovery document's fields a blueprint takes its endpoints from (OIDC Discovery §3). */
interface ProviderMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  jwks_uri?: string;
  authorization_response_iss_parameter_supported?: boolean;
}

/** The blueprint fields discovery fills. */
interface DiscoverableOptions extends OAuth2ClientOptions {
  discoveryUrl?: string;
  userInfoUrl?: string;
  baseUrl?: string;
  requireIss?: boolean;
}

const WELL_KNOWN = '/.well-known/openid-configuration';
const MAX_DISCOVERY_BYTES = 256 * 1024;
const discoveries = new Map<string, Promise<string>>();

/**
 * Fills a blueprint's endpoints from its OpenID Connect discovery document, read once per URL
 * and process (cached) and only at start-up. The document's `issuer` must be the configured
 * one (OIDC Discovery §4.3: else anyone serving a document could impersonate the provider);
 * the blueprint then uses the document's exact issuer string, which ID tokens must carry.
 * Options given explicitly win; the whole document is kept as `serverMetadata`.
 */
export async function withDiscoveredEndpoints<T extends DiscoverableOptions>(
  options: T,
): Promise<T> {
  if (!options.discoveryUrl) return options;
  const metadata = await discoverFor(
    options.name,
    options.discoveryUrl,
    expectedIssuer(options),
  );
  return {
    ...options,
    issuer: metadata.issuer,
    authorizationUrl:
      options.authorizationUrl ?? metadata.authorization_endpoint,
    tokenUrl: options.tokenUrl ?? metadata.token_endpoint,
    userInfoUrl: options.userInfoUrl ?? metadata.userinfo_endpoint,
    revocationUrl: options.revocationUrl ?? metadata.revocation_endpoint,
    jwksUrl: options.jwksUrl ?? metadata.jwks_uri,
    baseUrl: options.baseUrl ?? metadata.issuer,
    requireIss:
      options.requireIss ??
      metadata.authorization_response_iss_parameter_supported === true,
    serverMetadata: { ...metadata, ...options.serverMetadata },
  };
}

/**
 * The JWKS URL of an issuer, from its discovery document (for blueprints that name an issuer
 * but were not configured by discovery, e.g. presets). The document's issuer must match.
 */
export async function discoverJwksUrl(
  name: string,
  issuer: string,
): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}${WELL_KNOWN}`;
  const metadata = await discoverFor(name, url, issuer);
  if (!metadata.jwks_uri) {
    throw new InvalidOptionsError(
      `Blueprint '${name}': ${url} names no jwks_uri, so ID tokens of ${issuer} cannot be checked: set jwksUrl.`,
    );
  }
  return metadata.jwks_uri;
}

/** The issuer a discovery document must name: the configured one, else the URL's prefix. */
function expectedIssuer(options: DiscoverableOptions): string {
  if (options.issuer) return options.issuer;
  const url = options.discoveryUrl!;
  if (url.endsWith(WELL_KNOWN)) return url.slice(0, -WELL_KNOWN.length);
  throw new InvalidOptionsError(
    `Blueprint '${options.name}' has a discoveryUrl but no issuer: give the issuer its discovery ` +
      'document must name (OpenID Connect Discovery 4.3).',
  );
}

/** The document at `url`, checked by the engine to name `issuer` (compared as URLs). */
async function discoverFor(
  name: string,
  url: string,
  issuer: string,
): Promise<ProviderMetadata> {
  const fail = (why: string) =>
    new InvalidOptionsError(
      `Blueprint '${name}': OpenID Connect discovery at ${url} failed (${why}). Check the issuer URL, ` +
        'or give authorizationUrl and tokenUrl explicitly.',
    );
  const text = await discover(url, fail);
  let expected: URL;
  try {
    expected = new URL(issuer);
  } catch {
    throw new InvalidOptionsError(
      `Blueprint '${name}': the issuer ${JSON.stringify(issuer)} is not a URL.`,
    );
  }
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(
      expected,
      new Response(text, { headers: { 'content-type': 'application/json' } }),
    );
  } catch (error) {
    if ((error as { code?: string }).code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const named = (JSON.parse(text) as { issuer?: unknown }).issuer;
      throw new InvalidOptionsError(
        `Blueprint '${name}': the discovery document at ${url} names the issuer ${JSON.stringify(named)}, ` +
          `not the configured ${JSON.stringify(issuer)} (OpenID Connect Discovery 4.3). Check the issuer URL; ` +
          'a document for another issuer is never used.',
      );
    }
    throw fail(
      (error as Error).message.replace(/^"response" (body )?/, 'the document '),
    );
  }
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw fail('no authorization_endpoint or token_endpoint');
  }
  return metadata as unknown as ProviderMetadata;
}

/** The document's text, read once per URL and process; failures are not cached. */
function discover(url: string, fail: (why: string) => Error): Promise<string> {
  let pending = discoveries.get(url);
  if (!pending) {
    pending = fetchDocument(url, fail);
    discoveries.set(url, pending);
    pending.catch(() => discoveries.delete(url));
  }
  return pending;
}

async function fetchDocument(
  url: string,
  fail: (why: string) => Error,
): Promise<string> {
  const exchange: Exchange = {};
  const get = limitedFetch(
    { ...DEFAULT_LIMITS, maxResponseBytes: MAX_DISCOVERY_BYTES },
    exchange,
  );
  let response: Response;
  try {
    response = await get(url, {
      headers: { accept: 'application/json' },
      method: 'GET',
      redirect: 'manual',
    });
  } catch (error) {
    throw fail(
      error instanceof TransportFailure && error.failure !== 'network'
        ? error.message
        : 'unreachable',
    );
  }
  if (response.status !== 200) throw fail(`HTTP ${response.status}`);
  if (!exchange.response?.parsed) throw fail('not JSON');
  return exchange.response.text;
}

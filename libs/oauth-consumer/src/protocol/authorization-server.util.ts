import * as oauth from 'oauth4webapi';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuth2ClientOptions } from './oauth2-client-options.interface';

/** Seconds of clock difference tolerated in ID token timestamps (the engine's default is 30). */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The provider as the engine sees it: its metadata (when discovered) under the endpoints the
 * blueprint names, which win. A blueprint without an issuer is identified by its token endpoint,
 * which is what RFC 7523 §3 lets a client assertion's `aud` be.
 */
export function authorizationServerOf(
  options: Readonly<OAuth2ClientOptions>,
  tokenEndpoint: string | undefined = options.tokenUrl,
): oauth.AuthorizationServer {
  const metadata = (options.serverMetadata ?? {}) as Record<string, unknown>;
  const server: Record<string, unknown> = {
    ...metadata,
    issuer: options.issuer ?? tokenEndpoint ?? options.name,
  };
  const set = (name: string, value: string | false | undefined) => {
    if (typeof value === 'string' && value) server[name] = value;
  };
  set('authorization_endpoint', options.authorizationUrl);
  set('token_endpoint', tokenEndpoint);
  set('revocation_endpoint', options.revocationUrl);
  set('jwks_uri', options.jwksUrl);
  set(
    'pushed_authorization_request_endpoint',
    options.pushedAuthorizationRequestUrl,
  );
  set('device_authorization_endpoint', options.deviceAuthorizationUrl);
  return server as unknown as oauth.AuthorizationServer;
}

/** The client as the engine sees it. */
export function clientOf(options: Readonly<OAuth2ClientOptions>): oauth.Client {
  return {
    client_id: options.clientId,
    [oauth.clockTolerance]: CLOCK_TOLERANCE_SECONDS,
  };
}

/** Whether `url` is plain http (the engine refuses it unless told; the blueprint named it). */
export function isInsecure(url: string | undefined): boolean {
  return typeof url === 'string' && /^http:/i.test(url);
}

/**
 * Whether a blueprint pushes its authorization requests (RFC 9126): as it says, else when the
 * provider requires it. Throws when the provider requires it and the blueprint turned it off,
 * or when it is on without an endpoint to push to.
 */
export function usesPushedAuthorization(
  options: Readonly<OAuth2ClientOptions>,
): boolean {
  const metadata = options.serverMetadata ?? {};
  const required = metadata.require_pushed_authorization_requests === true;
  if (required && options.pushedAuthorization === false) {
    throw new InvalidOptionsError(
      `Blueprint '${options.name}': the provider requires pushed authorization requests ` +
        '(require_pushed_authorization_requests, RFC 9126 §5), and pushedAuthorization is false: remove it.',
    );
  }
  const on = options.pushedAuthorization ?? required;
  if (
    on &&
    !options.pushedAuthorizationRequestUrl &&
    typeof metadata.pushed_authorization_request_endpoint !== 'string'
  ) {
    throw new InvalidOptionsError(
      `Blueprint '${options.name}' uses pushed authorization requests but knows no endpoint for them: ` +
        'set pushedAuthorizationRequestUrl, or use oidc({ issuer }) to discover it.',
    );
  }
  return on;
}

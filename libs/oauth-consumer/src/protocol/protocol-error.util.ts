import * as oauth from 'oauth4webapi';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import {
  TokenEndpointError,
  TokenRequestKind,
} from '../errors/token-endpoint.error';
import { redactText } from '../redaction/redact.util';
import { Exchange, TransportFailure } from './http-transport.util';
import { TokenAuthMethod } from './oauth2-client-options.interface';

/** The longest provider error description we repeat in a message. */
const MAX_DESCRIPTION = 200;

/** What the error mapping needs to know about the request that failed. */
export interface FailedRequest {
  provider: string;
  request: TokenRequestKind;
  exchange: Exchange;
  /** Values we sent that the provider's text must never echo (code, verifier, secret...). */
  secrets: Array<string | undefined>;
  /** The client authentication method used, named when the server refuses the client. */
  authMethod?: TokenAuthMethod;
  /** The methods the server says it supports, for the hint. */
  supportedAuthMethods?: unknown;
  /** Whether a token response was expected (for the wording of unusable answers). */
  expectsToken?: boolean;
}

/**
 * Turns whatever the engine or the transport threw into a `TokenEndpointError` that says which
 * request failed and how: the HTTP status and OAuth error the provider answered (5xx, 408 and
 * 429 are `unavailable`, other 4xx `rejected`, even with an empty body), a transport failure,
 * or an answer the engine refused (a malformed token response, an invalid ID token).
 */
export function toTokenEndpointError(
  error: unknown,
  failed: FailedRequest,
): Error {
  if (
    error instanceof TokenEndpointError ||
    error instanceof InvalidOptionsError
  ) {
    return error;
  }
  const fail = (
    failure: TokenEndpointError['failure'],
    message: string,
    code?: string,
    status?: number,
  ) =>
    new TokenEndpointError(
      failed.provider,
      failure,
      message,
      code,
      status,
      failed.request,
    );
  if (error instanceof TransportFailure) {
    return fail(error.failure, error.message, undefined, error.status);
  }
  const read = failed.exchange.response;
  if (!read) {
    return fail('invalid-response', engineMessage(error));
  }
  const body = read.parsed;
  const challenge = challengeOf(error);
  const rawCode =
    typeof body?.error === 'string' ? body.error : challenge?.error;
  const rawDescription =
    typeof body?.error_description === 'string'
      ? body.error_description
      : challenge?.error_description;
  if (read.status >= 300 || rawCode !== undefined) {
    const code =
      rawCode === undefined
        ? undefined
        : redactText(rawCode, failed.secrets).slice(0, 64);
    const description =
      rawDescription === undefined
        ? ''
        : ` (${redactText(rawDescription, failed.secrets).slice(0, MAX_DESCRIPTION)})`;
    const what = code
      ? `HTTP ${read.status} ${code}${description}`
      : `HTTP ${read.status} with no OAuth error code${read.text.trim() ? '' : ' and an empty body'}`;
    const transient =
      read.status >= 500 || read.status === 429 || read.status === 408;
    return fail(
      transient ? 'unavailable' : 'rejected',
      `${what}${clientHint(failed, read.status, code)}`,
      code,
      read.status,
    );
  }
  if (failed.expectsToken && !body) {
    return fail(
      'invalid-response',
      'the answer is neither JSON nor form-encoded',
      undefined,
      read.status,
    );
  }
  const message = engineMessage(error);
  if (failed.expectsToken && /"access_token"/.test(message)) {
    return fail(
      'invalid-response',
      'the answer has no access_token',
      undefined,
      read.status,
    );
  }
  return fail(
    'invalid-response',
    `the answer (HTTP ${read.status}) was refused: ${message}`,
    undefined,
    read.status,
  );
}

/** Names the refused authentication method, and what the server supports, on `invalid_client`. */
function clientHint(
  failed: FailedRequest,
  status: number,
  code: string | undefined,
): string {
  if (!failed.authMethod) return '';
  if (code !== 'invalid_client' && !(status === 401 && code === undefined)) {
    return '';
  }
  const supported = Array.isArray(failed.supportedAuthMethods)
    ? ` (it lists token_endpoint_auth_methods_supported: ${failed.supportedAuthMethods.join(', ')})`
    : '';
  return (
    `; the server refused client authentication by ${failed.authMethod}${supported}: check the client ` +
    'credentials, or set the blueprint’s tokenAuthMethod to a method registered for this client'
  );
}

/** The engine's own words: fixed texts that never carry what we sent. */
function engineMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'unknown error';
}

function challengeOf(
  error: unknown,
): { error?: string; error_description?: string } | undefined {
  if (!(error instanceof oauth.WWWAuthenticateChallengeError)) return undefined;
  const [first] = error.cause;
  return first?.parameters as
    { error?: string; error_description?: string } | undefined;
}

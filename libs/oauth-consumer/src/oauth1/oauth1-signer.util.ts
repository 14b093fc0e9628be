import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { OAuthConsumerError } from '../errors/oauth-consumer.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import { OAuth1Client, OAuth1Params, queryParams } from './oauth1.client';

/** One signing client per blueprint options object (the RSA key is parsed once). */
const clients = new WeakMap<Readonly<BlueprintOptions>, OAuth1Client>();

/**
 * The `Authorization: OAuth ...` header of one API request of an OAuth 1.0a blueprint, signed
 * (by node-oauth, HMAC-SHA1 or RSA-SHA1) with the token and its secret over the method, the
 * URL, its query parameters and a form-encoded body (RFC 5849 §3.4.1).
 */
export function signOAuth1Request(
  blueprint: Readonly<BlueprintOptions>,
  request: { url: string; method?: string; body?: unknown; headers: Headers },
  token: OAuthToken,
): Record<string, string> {
  const secret = token.oauth_token_secret;
  if (typeof secret !== 'string') {
    throw new OAuthConsumerError(
      `The '${blueprint.name}' token has no oauth_token_secret, so OAuth 1.0a requests cannot be signed: ` +
        'store the whole token the dance returned, or connect again.',
    );
  }
  let client = clients.get(blueprint);
  if (!client) {
    client = new OAuth1Client(blueprint);
    clients.set(blueprint, client);
  }
  const params: OAuth1Params = queryParams(request.url);
  for (const [name, value] of Object.entries(formBody(request))) {
    const current = Object.prototype.hasOwnProperty.call(params, name)
      ? params[name]
      : undefined;
    Object.defineProperty(params, name, {
      value: current === undefined ? value : [current, value].flat(),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    authorization: client.authorization(
      request.method ?? 'GET',
      request.url,
      params,
      token.access_token,
      secret,
    ),
  };
}

/** The parameters of a form-encoded body (signed too, RFC 5849 §3.4.1.3.1); others are not. */
function formBody(request: {
  body?: unknown;
  headers: Headers;
}): Record<string, string[]> {
  const { body, headers } = request;
  let form: URLSearchParams | undefined;
  if (body instanceof URLSearchParams) form = body;
  else if (
    typeof body === 'string' &&
    (headers.get('content-type') ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded')
  ) {
    form = new URLSearchParams(body);
  }
  const params: Record<string, string[]> = {};
  for (const [name, value] of form ?? []) {
    const values = Object.prototype.hasOwnProperty.call(params, name)
      ? params[name]
      : [];
    Object.defineProperty(params, name, {
      value: [...values, value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return params;
}

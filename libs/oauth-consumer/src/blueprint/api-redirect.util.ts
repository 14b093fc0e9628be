/** How many redirects one API call may follow, as in the Fetch standard. */
export const MAX_API_REDIRECTS = 20;

/** Statuses that redirect (with a `Location`). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Headers that carry credentials of their own, dropped with the token off the API origin. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** Headers that describe a body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** One request of an API call: where it goes and what it sends. */
export interface ApiHop {
  url: string;
  method: string;
  body: RequestInit['body'];
  headers: Headers;
}

/** What `fetchApi` needs to know about the blueprint. */
export interface ApiRedirectPolicy {
  /** The blueprint's name, for messages. */
  name: string;
  /** The origins that may receive the token. */
  origins: readonly string[];
  /** The token headers of one hop (signed per hop for OAuth 1.0a). */
  tokenHeaders(hop: ApiHop): Record<string, string>;
}

/**
 * Internal: `fetch` with `redirect: 'manual'`, following redirects itself (at most
 * `MAX_API_REDIRECTS`) so the token never leaves the API's origins: each hop's origin is
 * checked, and from the first hop off them on, the token headers (and Authorization,
 * Proxy-Authorization, Cookie) are no longer sent, even when a later hop comes back. 303
 * turns any method but HEAD into a GET without a body, 301 and 302 turn a POST into one, 307 and
 * 308 repeat the request. `init.redirect` `'manual'` returns the first answer, `'error'` throws
 * on a redirect, as `fetch` does.
 */
export async function fetchApi(
  url: string,
  init: RequestInit,
  policy: ApiRedirectPolicy,
): Promise<Response> {
  const mode = init.redirect ?? 'follow';
  const hop: ApiHop = {
    url,
    method: (init.method ?? 'GET').toUpperCase(),
    body: init.body,
    headers: new Headers(init.headers),
  };
  let withToken = true;
  for (let redirects = 0; ; redirects++) {
    const headers = new Headers(hop.headers);
    if (withToken) {
      for (const [name, value] of Object.entries(policy.tokenHeaders(hop)))
        headers.set(name, value);
    }
    const response = await fetch(hop.url, {
      ...init,
      method: hop.method,
      body: hop.body,
      headers,
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (mode === 'manual' || !REDIRECTS.has(response.status) || !location)
      return response;
    await response.body?.cancel();
    if (mode === 'error') {
      throw new TypeError(
        `The '${policy.name}' API redirected (HTTP ${response.status}) and redirect is 'error'.`,
      );
    }
    if (redirects >= MAX_API_REDIRECTS) {
      throw new TypeError(
        `The '${policy.name}' API redirected more than ${MAX_API_REDIRECTS} times (last from ${new URL(hop.url).pathname}).`,
      );
    }
    const next = new URL(location, hop.url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TypeError(
        `The '${policy.name}' API redirected to a ${next.protocol} URL; only http(s) is followed.`,
      );
    }
    const toGet =
      (response.status === 303 &&
        hop.method !== 'GET' &&
        hop.method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) &&
        hop.method === 'POST');
    if (toGet) {
      hop.method = 'GET';
      hop.body = undefined;
      for (const name of BODY_HEADERS) hop.headers.delete(name);
    } else if (hop.body instanceof ReadableStream) {
      throw new TypeError(
        `The '${policy.name}' API answered ${response.status}, which repeats the request, but its body is a stream that cannot be sent twice: send a string, bytes or a Blob.`,
      );
    }
    if (withToken && !policy.origins.includes(next.origin)) {
      withToken = false;
      for (const name of CREDENTIAL_HEADERS) hop.headers.delete(name);
    }
    hop.url = next.href;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { LocalAuthorizationServer } from 'nest-dance/testing';

/** The client side of one authorization request: state and a PKCE pair. */
export interface LocalFlow {
  state: string;
  verifier: string;
  challenge: string;
}

/** A fresh state and PKCE (S256) pair. */
export function startLocalFlow(): LocalFlow {
  const verifier = randomBytes(32).toString('base64url');
  return {
    state: randomBytes(16).toString('base64url'),
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
  };
}

/** The authorization URL a client would redirect the browser to. */
export function localAuthorizationUrl(
  server: LocalAuthorizationServer,
  flow: LocalFlow,
  options: {
    redirectUri: string;
    scope: string;
    clientId?: string;
    loginHint?: string;
    pkce?: boolean;
  },
): string {
  const url = new URL(server.endpoints.authorization);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId ?? server.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state: flow.state,
    ...(options.pkce === false
      ? {}
      : { code_challenge: flow.challenge, code_challenge_method: 'S256' }),
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  }).toString();
  return url.href;
}

/** A token endpoint request with client_secret_post (or no secret for a public client). */
export async function localTokenRequest(
  server: LocalAuthorizationServer,
  params: Record<string, string>,
  signal?: AbortSignal,
  client: { clientId: string; clientSecret?: string } = {
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  },
): Promise<{
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}> {
  const response = await fetch(server.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...params,
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    }),
    signal,
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    // a scripted non-JSON body: the test reads `text`
  }
  return { status: response.status, headers: response.headers, text, body };
}

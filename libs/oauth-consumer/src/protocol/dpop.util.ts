import { exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { OAuthToken } from '../storage/oauth-token.interface';

/**
 * The token field that keeps a DPoP-bound token's private key (a JWK), stored with the token
 * and sealed with it by the encryption wrapper. nest-dance's own: a provider cannot send it.
 */
export const DPOP_KEY_FIELD = 'nest_dance_dpop_key';

/** The proof algorithm: ES256 (P-256), which every DPoP server supports (RFC 9449 §11.6). */
const ALGORITHM = 'ES256';
/** Key handles kept, by key thumbprint, so the server nonces each one learned are kept too. */
const MAX_HANDLES = 1000;
const handles = new Map<string, Promise<oauth.DPoPHandle>>();

/**
 * A fresh DPoP key pair, as the private JWK stored with the token it will be bound to. One key
 * per grant (not per user or app): a leaked key exposes one grant, and the key is deleted,
 * replaced and revoked with it.
 */
export async function newDpopKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALGORITHM, {
    extractable: true,
  });
  return { ...(await exportJWK(privateKey)), alg: ALGORITHM };
}

/** The private DPoP key stored with `token`, if it is DPoP-bound. */
export function dpopKeyOf(token: OAuthToken): JWK | undefined {
  const key = token[DPOP_KEY_FIELD];
  return typeof key === 'object' && key !== null ? (key as JWK) : undefined;
}

/** Whether the token's type says it is DPoP-bound (RFC 9449 §5). */
export function isDpopToken(token: OAuthToken): boolean {
  return (
    dpopKeyOf(token) !== undefined ||
    (typeof token.token_type === 'string' &&
      token.token_type.toLowerCase() === 'dpop')
  );
}

/**
 * The engine's DPoP handle for `jwk` (it makes the proofs and remembers the servers' nonces),
 * one per key for the process (the last 1 000 keys).
 */
export function dpopHandleFor(
  jwk: JWK,
  client: oauth.Client,
): Promise<oauth.DPoPHandle> {
  const id = `${jwk.crv}.${jwk.x}.${jwk.y}`;
  let handle = handles.get(id);
  if (handle) {
    handles.delete(id);
  } else {
    handle = importKeyPair(jwk).then((keyPair) => oauth.DPoP(client, keyPair));
    handle.catch(() => handles.delete(id));
  }
  handles.set(id, handle);
  if (handles.size > MAX_HANDLES) {
    handles.delete(handles.keys().next().value as string);
  }
  return handle;
}

async function importKeyPair(jwk: JWK): Promise<oauth.CryptoKeyPair> {
  const alg = jwk.alg ?? ALGORITHM;
  const { kty, crv, x, y } = jwk;
  const privateKey = (await importJWK(
    { ...jwk, ext: false },
    alg,
  )) as CryptoKey;
  const publicKey = (await importJWK(
    { kty, crv, x, y, ext: true },
    alg,
  )) as CryptoKey;
  return { privateKey, publicKey };
}

/**
 * Calls a protected resource with a DPoP-bound token (RFC 9449 §7): `Authorization: DPoP`, a
 * fresh proof for this method, URL and token, and one retry when the server asks for a nonce
 * (`use_dpop_nonce`). Redirects are not followed (a proof names one URL): the 3xx is returned.
 */
export async function dpopResourceRequest(
  token: OAuthToken,
  url: string,
  init: RequestInit & { headers: Headers },
  client: oauth.Client,
  insecure: boolean,
): Promise<Response> {
  const handle = await dpopHandleFor(dpopKeyOf(token)!, client);
  const send = () =>
    oauth.protectedResourceRequest(
      token.access_token,
      init.method ?? 'GET',
      new URL(url),
      new Headers(init.headers),
      init.body as oauth.ProtectedResourceRequestBody,
      {
        DPoP: handle,
        signal: init.signal ?? undefined,
        [oauth.allowInsecureRequests]: insecure,
      },
    );
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
      if (attempt === 0 && oauth.isDPoPNonceError(error)) {
        await error.response.body?.cancel();
        continue;
      }
      // Any other challenge (invalid_token, ...) is the API's answer: the caller reads it.
      return error.response;
    }
  }
}

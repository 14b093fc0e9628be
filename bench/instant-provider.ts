import './register-paths';
import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { serveChild } from './child';

/** What the instant provider counted since the last reset. */
export interface InstantProviderStats {
  authorizations: number;
  codeExchanges: number;
  refreshes: number;
  refreshesRefused: number;
}

interface Grant {
  refreshToken: string;
  revoked: boolean;
}

interface Code {
  redirectUri: string;
  challenge?: string;
  grant: Grant;
}

const EXPIRES_IN = 3600;
/**
 * Refreshes answer after this long, as a provider across the internet does (tens to hundreds of
 * milliseconds): long enough for concurrent requests on one expired token to overlap.
 */
const REFRESH_LATENCY_MS = 100;

/**
 * The side-by-side scenario's provider, a process of its own: an authorization server that
 * answers at once, so the apps are what is measured. `GET /authorize` redirects straight back
 * with a code (no pages); `POST /token` exchanges it (checking the redirect URI and the PKCE
 * S256 verifier when a challenge was sent) and refreshes with rotating refresh tokens: each
 * refresh token works once, and a used one ends the grant (reuse detection, RFC 9700 4.14),
 * as oidc-provider does. Refreshes answer after `REFRESH_LATENCY_MS`; the rest at once.
 */
serveChild(async () => {
  const codes = new Map<string, Code>();
  const grants = new Map<string, Grant>();
  const stats: InstantProviderStats = {
    authorizations: 0,
    codeExchanges: 0,
    refreshes: 0,
    refreshesRefused: 0,
  };
  const token = () => randomBytes(24).toString('base64url');

  const answer = (
    response: ServerResponse,
    status: number,
    body: Record<string, unknown>,
  ) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  const issue = (grant: Grant) => {
    grant.refreshToken = token();
    grants.set(grant.refreshToken, grant);
    return {
      access_token: token(),
      token_type: 'Bearer',
      expires_in: EXPIRES_IN,
      refresh_token: grant.refreshToken,
      scope: 'openid offline_access',
    };
  };

  const tokenEndpoint = (response: ServerResponse, form: URLSearchParams) => {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier');
      const verified =
        code?.challenge === undefined
          ? verifier === null
          : verifier !== null &&
            createHash('sha256').update(verifier).digest('base64url') ===
              code.challenge;
      if (!code || code.redirectUri !== form.get('redirect_uri') || !verified)
        return answer(response, 400, { error: 'invalid_grant' });
      stats.codeExchanges++;
      return answer(response, 200, issue(code.grant));
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = grants.get(presented);
      grants.delete(presented);
      if (!grant || grant.revoked || grant.refreshToken !== presented) {
        // A rotated-out refresh token came back: someone else has the new one; end the grant.
        if (grant) grant.revoked = true;
        stats.refreshesRefused++;
        setTimeout(
          () => answer(response, 400, { error: 'invalid_grant' }),
          REFRESH_LATENCY_MS,
        );
        return;
      }
      stats.refreshes++;
      const tokens = issue(grant);
      setTimeout(() => answer(response, 200, tokens), REFRESH_LATENCY_MS);
      return;
    }
    return answer(response, 400, { error: 'unsupported_grant_type' });
  };

  const server = createServer(
    (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET' && url.pathname === '/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri');
        if (!redirectUri)
          return answer(response, 400, { error: 'invalid_request' });
        const method = url.searchParams.get('code_challenge_method');
        if (url.searchParams.has('code_challenge') && method !== 'S256')
          return answer(response, 400, { error: 'invalid_request' });
        const code = token();
        codes.set(code, {
          redirectUri,
          challenge: url.searchParams.get('code_challenge') ?? undefined,
          grant: { refreshToken: '', revoked: false },
        });
        stats.authorizations++;
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        const state = url.searchParams.get('state');
        if (state !== null) back.searchParams.set('state', state);
        response.writeHead(302, { location: back.href, 'content-length': 0 });
        return response.end();
      }
      if (request.method === 'POST' && url.pathname === '/token') {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () =>
          tokenEndpoint(
            response,
            new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          ),
        );
        return;
      }
      answer(response, 404, { error: 'not_found' });
    },
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    ready: {
      authorizationUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
    },
    handle: async (message) => {
      const copy = { ...stats };
      if ((message as { reset?: boolean }).reset)
        for (const name of Object.keys(stats))
          stats[name as keyof InstantProviderStats] = 0;
      return copy;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  LocalAuthorizationServer,
  LocalAuthorizationServerError,
} from 'nest-dance/testing';
import {
  LocalFlow,
  localAuthorizationUrl,
  localTokenRequest,
  startLocalFlow,
} from './support/local-authorization.flow';

const CALLBACK = 'http://127.0.0.1:4567/login/local/authorized';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exchangeCode(
  server: LocalAuthorizationServer,
  flow: LocalFlow,
  redirect: string,
): Promise<Record<string, unknown>> {
  const code = new URL(redirect).searchParams.get('code');
  const { status, body } = await localTokenRequest(server, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: CALLBACK,
    code_verifier: flow.verifier,
  });
  expect(status).toBe(200);
  return body;
}

async function signIn(
  server: LocalAuthorizationServer,
  scope = 'openid profile email offline_access',
  user = 'alice',
): Promise<Record<string, unknown>> {
  const flow = startLocalFlow();
  const redirect = await server.completeAuthorization(
    localAuthorizationUrl(server, flow, { redirectUri: CALLBACK, scope }),
    { user },
  );
  return exchangeCode(server, flow, redirect);
}

describe('LocalAuthorizationServer', () => {
  let server: LocalAuthorizationServer;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start({
      users: { alice: { name: 'Alice Liddell', email: 'alice@example.com' } },
    });
  });

  afterAll(() => server?.stop());

  beforeEach(() => server.resetStats());

  it('listens on a free loopback port and serves its discovery document', async () => {
    expect(server.issuer).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.clientId).toBe('local-client');
    expect(server.clientSecret).toBe('local-secret');

    const response = await fetch(server.endpoints.discovery);
    expect(response.status).toBe(200);
    const discovery = await response.json();
    expect(discovery).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: server.endpoints.authorization,
      token_endpoint: server.endpoints.token,
      userinfo_endpoint: server.endpoints.userinfo,
      revocation_endpoint: server.endpoints.revocation,
      jwks_uri: server.endpoints.jwks,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']),
    );
  });

  it('runs the code flow with PKCE: code, tokens, userinfo, counted', async () => {
    const flow = startLocalFlow();
    const redirect = await server.completeAuthorization(
      localAuthorizationUrl(server, flow, {
        redirectUri: CALLBACK,
        scope: 'openid profile email offline_access',
      }),
      { user: 'alice' },
    );
    const url = new URL(redirect);
    expect(`${url.origin}${url.pathname}`).toBe(CALLBACK);
    expect(url.searchParams.get('state')).toBe(flow.state);
    expect(url.searchParams.get('iss')).toBe(server.issuer);
    expect(url.searchParams.get('code')).toEqual(expect.any(String));

    const tokens = await exchangeCode(server, flow, redirect);
    expect(tokens).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      id_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access',
    });

    const userinfo = await fetch(server.endpoints.userinfo, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: 'alice',
      name: 'Alice Liddell',
      email: 'alice@example.com',
    });

    expect(await server.stats()).toMatchObject({
      tokenRequests: { authorization_code: 1, refresh_token: 0, total: 1 },
      userinfo: 1,
      revocations: 0,
    });
  });

  it('signs in as the login_hint user, else user-1, when no user is given', async () => {
    const hinted = startLocalFlow();
    const tokens = await exchangeCode(
      server,
      hinted,
      await server.completeAuthorization(
        localAuthorizationUrl(server, hinted, {
          redirectUri: CALLBACK,
          scope: 'openid',
          loginHint: 'bob',
        }),
      ),
    );
    const plain = startLocalFlow();
    const defaults = await exchangeCode(
      server,
      plain,
      await server.completeAuthorization(
        localAuthorizationUrl(server, plain, {
          redirectUri: CALLBACK,
          scope: 'openid',
        }),
      ),
    );
    const sub = async (t: Record<string, unknown>) =>
      (
        await (
          await fetch(server.endpoints.userinfo, {
            headers: { authorization: `Bearer ${t.access_token}` },
          })
        ).json()
      ).sub;
    expect(await sub(tokens)).toBe('bob');
    expect(await sub(defaults)).toBe('user-1');
  });

  it('verifies the PKCE verifier sent by a confidential client', async () => {
    const flow = startLocalFlow();
    const redirect = await server.completeAuthorization(
      localAuthorizationUrl(server, flow, {
        redirectUri: CALLBACK,
        scope: 'openid',
      }),
    );
    const { status, body } = await localTokenRequest(server, {
      grant_type: 'authorization_code',
      code: new URL(redirect).searchParams.get('code') ?? '',
      redirect_uri: CALLBACK,
      code_verifier: startLocalFlow().verifier,
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('returns access_denied when the user does not approve', async () => {
    const flow = startLocalFlow();
    const redirect = await server.completeAuthorization(
      localAuthorizationUrl(server, flow, {
        redirectUri: CALLBACK,
        scope: 'openid',
      }),
      { approve: false },
    );
    const url = new URL(redirect);
    expect(`${url.origin}${url.pathname}`).toBe(CALLBACK);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe(flow.state);
    expect(url.searchParams.has('code')).toBe(false);
  });

  it('rotates refresh tokens and revokes the grant when a consumed one is reused', async () => {
    const first = await signIn(server);
    const refresh = (token: unknown) =>
      localTokenRequest(server, {
        grant_type: 'refresh_token',
        refresh_token: String(token),
      });

    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.access_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).not.toBe(first.refresh_token);

    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');

    // The whole grant is gone: the new refresh token and the access tokens too.
    const revoked = await refresh(rotated.body.refresh_token);
    expect(revoked.body.error).toBe('invalid_grant');
    const userinfo = await fetch(server.endpoints.userinfo, {
      headers: { authorization: `Bearer ${rotated.body.access_token}` },
    });
    expect(userinfo.status).toBe(401);

    expect((await server.stats()).tokenRequests).toEqual({
      authorization_code: 1,
      refresh_token: 3,
      client_credentials: 0,
      device_code: 0,
      total: 4,
    });
  });

  it('plays a scripted token response, then answers normally', async () => {
    const tokens = await signIn(server);
    await server.scriptTokenResponse({
      status: 503,
      body: { error: 'temporarily_unavailable' },
      headers: { 'retry-after': '1' },
    });
    await server.scriptTokenResponse({ status: 200, body: 'not json' });

    const refresh = () =>
      localTokenRequest(server, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
      });
    const unavailable = await refresh();
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(unavailable.body).toEqual({ error: 'temporarily_unavailable' });

    const garbled = await refresh();
    expect(garbled.status).toBe(200);
    expect(garbled.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(garbled.text).toBe('not json');

    // The scripted answers never reached the provider: the refresh token is still unused.
    const normal = await refresh();
    expect(normal.status).toBe(200);
    expect(normal.body.access_token).toEqual(expect.any(String));

    expect(await server.stats()).toMatchObject({
      tokenRequests: { authorization_code: 1, refresh_token: 3, total: 4 },
      pendingScriptedResponses: 0,
    });
  });

  it('repeats a scripted response `times` times, and drops the rest on clear', async () => {
    await server.scriptTokenResponse({ status: 429, times: 2 });
    await server.scriptTokenResponse({ status: 500, times: 3 });
    const request = () =>
      localTokenRequest(server, {
        grant_type: 'refresh_token',
        refresh_token: 'unknown',
      });
    expect((await request()).status).toBe(429);
    expect((await request()).status).toBe(429);
    expect((await request()).status).toBe(500);
    expect((await server.stats()).pendingScriptedResponses).toBe(2);

    await server.clearScriptedTokenResponses();
    const real = await request();
    expect(real.status).toBe(400);
    expect(real.body.error).toBe('invalid_grant');
    expect(await server.stats()).toMatchObject({
      tokenRequests: { refresh_token: 4, total: 4 },
      pendingScriptedResponses: 0,
    });
  });

  it('accepts client_secret_basic as well as client_secret_post', async () => {
    const tokens = await signIn(server);
    const basic = Buffer.from(
      `${server.clientId}:${server.clientSecret}`,
    ).toString('base64');
    const response = await fetch(server.endpoints.token, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
      }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).access_token).toEqual(expect.any(String));
  });

  it('delays a scripted response and survives the client giving up', async () => {
    await server.scriptTokenResponse({ delayMs: 5000, body: '{}' });
    const timedOut = localTokenRequest(
      server,
      { grant_type: 'refresh_token', refresh_token: 'x' },
      AbortSignal.timeout(200),
    );
    await expect(timedOut).rejects.toThrow(/abort|timeout/i);
    const after = await localTokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: 'unknown',
    });
    expect(after.body.error).toBe('invalid_grant');
  });

  it('revokes an access token (RFC 7009) and counts it', async () => {
    const tokens = await signIn(server);
    const response = await fetch(server.endpoints.revocation, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: String(tokens.access_token),
        client_id: server.clientId,
        client_secret: server.clientSecret ?? '',
      }),
    });
    expect(response.status).toBe(200);
    const userinfo = await fetch(server.endpoints.userinfo, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);
    expect((await server.stats()).revocations).toBe(1);
  });

  it('gives plain OAuth clients a refresh token and an API for any valid token', async () => {
    const tokens = await signIn(server, 'profile email', 'alice');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toBeUndefined();

    const user = await fetch(`${server.endpoints.api}/user`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({
      sub: 'alice',
      name: 'Alice Liddell',
    });

    expect(await server.expireAccessTokens()).toBeGreaterThan(0);
    const expired = await fetch(`${server.endpoints.api}/user`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect((await server.stats()).apiRequests).toBe(2);
  });

  it('registers a public client at run time and requires PKCE from it', async () => {
    await server.registerClient({
      clientId: 'public-app',
      redirectUris: [CALLBACK],
    });
    const flow = startLocalFlow();
    const withoutPkce = await server.completeAuthorization(
      localAuthorizationUrl(server, flow, {
        redirectUri: CALLBACK,
        scope: 'openid',
        clientId: 'public-app',
        pkce: false,
      }),
    );
    expect(new URL(withoutPkce).searchParams.get('error')).toBe(
      'invalid_request',
    );

    const redirect = await server.completeAuthorization(
      localAuthorizationUrl(server, flow, {
        redirectUri: CALLBACK,
        scope: 'openid offline_access',
        clientId: 'public-app',
      }),
    );
    const { status, body } = await localTokenRequest(
      server,
      {
        grant_type: 'authorization_code',
        code: new URL(redirect).searchParams.get('code') ?? '',
        redirect_uri: CALLBACK,
        code_verifier: flow.verifier,
      },
      undefined,
      { clientId: 'public-app' },
    );
    expect(status).toBe(200);
    expect(body.refresh_token).toEqual(expect.any(String));

    // Exact redirect URIs only, for a client that lists them.
    await expect(
      server.completeAuthorization(
        localAuthorizationUrl(server, flow, {
          redirectUri: 'http://127.0.0.1:4567/elsewhere',
          scope: 'openid',
          clientId: 'public-app',
        }),
      ),
    ).rejects.toThrow(LocalAuthorizationServerError);
  });
});

describe('LocalAuthorizationServer options', () => {
  it('issues access tokens with the configured lifetime', async () => {
    const server = await LocalAuthorizationServer.start({ accessTokenTtl: 2 });
    try {
      const tokens = await signIn(server);
      expect(tokens.expires_in).toBe(2);
      const userinfo = () =>
        fetch(server.endpoints.userinfo, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
      expect((await userinfo()).status).toBe(200);
      // No clock tolerance: the token is dead once expires_in has passed.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await userinfo()).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('serves an HTML login form and consent page in interactive mode', async () => {
    const server = await LocalAuthorizationServer.start({ interactive: true });
    try {
      // A browser-like walk: HTML pages, form posts, cookies, no JSON.
      const jar = new Map<string, string>();
      const send = async (url: string, form?: Record<string, string>) => {
        const response = await fetch(new URL(url, server.issuer), {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            accept: 'text/html',
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(form
              ? { 'content-type': 'application/x-www-form-urlencoded' }
              : {}),
          },
          body: form ? new URLSearchParams(form) : undefined,
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        return response;
      };
      const follow = async (response: Response) => {
        let current = response;
        while (current.status === 303 || current.status === 302) {
          const location = current.headers.get('location') ?? '';
          if (location.startsWith(CALLBACK)) return { location };
          current = await send(location);
        }
        return { page: await current.text(), status: current.status };
      };
      const flow = startLocalFlow();

      const login = await follow(
        await send(
          localAuthorizationUrl(server, flow, {
            redirectUri: CALLBACK,
            scope: 'openid profile',
          }),
        ),
      );
      expect(login.status).toBe(200);
      expect(login.page).toContain('name="username"');
      expect(login.page).toContain('<button type="submit">Sign in</button>');
      const loginAction = /<form method="post" action="([^"]+\/login)"/.exec(
        login.page ?? '',
      );
      expect(loginAction).not.toBeNull();

      const consent = await follow(
        await send(loginAction![1], { username: 'carol' }),
      );
      expect(consent.status).toBe(200);
      expect(consent.page).toContain('<strong>carol</strong>');
      expect(consent.page).toContain('<button type="submit">Allow</button>');
      const allow = /<form method="post" action="([^"]+\/confirm)"/.exec(
        consent.page ?? '',
      );

      const done = await follow(await send(allow![1], {}));
      const redirect = new URL(done.location ?? 'http://invalid');
      expect(redirect.searchParams.get('state')).toBe(flow.state);
      const tokens = await exchangeCode(server, flow, redirect.href);
      const userinfo = await fetch(server.endpoints.userinfo, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(await userinfo.json()).toMatchObject({ sub: 'carol' });

      // The headless driver works in interactive mode too.
      const headless = startLocalFlow();
      const code = await server.completeAuthorization(
        localAuthorizationUrl(server, headless, {
          redirectUri: CALLBACK,
          scope: 'openid',
        }),
        { user: 'dave' },
      );
      expect(new URL(code).searchParams.get('code')).toEqual(
        expect.any(String),
      );
    } finally {
      await server.stop();
    }
  });

  it('keeps refresh tokens when rotation is off', async () => {
    const server = await LocalAuthorizationServer.start({
      rotateRefreshTokens: false,
    });
    try {
      const tokens = await signIn(server);
      for (let i = 0; i < 2; i += 1) {
        const { status, body } = await localTokenRequest(server, {
          grant_type: 'refresh_token',
          refresh_token: String(tokens.refresh_token),
        });
        expect(status).toBe(200);
        expect(body.refresh_token).toBe(tokens.refresh_token);
      }
    } finally {
      await server.stop();
    }
  });

  it('stop() ends the child process and is idempotent', async () => {
    const server = await LocalAuthorizationServer.start();
    const pid = server.pid as number;
    expect(isRunning(pid)).toBe(true);
    await server.stop();
    await server.stop();
    expect(isRunning(pid)).toBe(false);
    await expect(fetch(server.endpoints.discovery)).rejects.toThrow();
    await expect(server.stats()).rejects.toThrow(/stopped/);
  });

  it('rejects bad options with the fix', async () => {
    await expect(LocalAuthorizationServer.start({ port: -1 })).rejects.toThrow(
      /0 to 65535/,
    );
    await expect(
      LocalAuthorizationServer.start({ clients: [] }),
    ).rejects.toThrow(/at least one client/);
  });
});

describe('LocalAuthorizationServer child process', () => {
  const script = join(
    __dirname,
    '../libs/oauth-consumer/src/testing/local-authorization-server.child.mjs',
  );

  it('prints nothing and exits when its parent goes away', async () => {
    const child = fork(script, [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, LOCAL_AUTHORIZATION_SERVER_DEBUG: '' },
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exited = once(child, 'exit');
    try {
      child.send({
        id: 1,
        method: 'start',
        params: { clients: [{ clientId: 'c', clientSecret: 's' }] },
      });
      const [reply] = (await once(child, 'message')) as [
        { id: number; result: { issuer: string } },
      ];
      expect(reply.id).toBe(1);
      const discovery = await fetch(
        `${reply.result.issuer}/.well-known/openid-configuration`,
      );
      expect(discovery.status).toBe(200);
      // An authorization request makes oidc-provider run most of its code paths.
      const auth = await fetch(
        `${reply.result.issuer}/auth?client_id=c&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(CALLBACK)}`,
        { redirect: 'manual' },
      );
      expect(auth.status).toBe(303);

      child.disconnect();
      const [code] = await exited;
      expect(code).toBe(0);
      expect(output).toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

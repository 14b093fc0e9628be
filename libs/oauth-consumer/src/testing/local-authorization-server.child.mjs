// The child process behind LocalAuthorizationServer (nest-dance/testing).
// oidc-provider is ESM-only and Jest's CommonJS runtime cannot import it, so it runs here and the
// parent talks to it over IPC. A small HTTP layer in front of the provider counts requests, plays
// scripted token responses and serves the login and consent pages.
// This process prints nothing (it sees codes and tokens) unless LOCAL_AUTHORIZATION_SERVER_DEBUG
// is set, and then only methods, paths and error messages.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import {
  createHash,
  generateKeyPair,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import {
  clearTimeout,
  setImmediate,
  setInterval,
  setTimeout,
} from 'node:timers';
import { URL, URLSearchParams } from 'node:url';
import { promisify } from 'node:util';

const DEBUG = Boolean(process.env.LOCAL_AUTHORIZATION_SERVER_DEBUG);
if (!DEBUG) {
  // oidc-provider prints notices (runtime, dev keys, adapter) through console.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    console[method] = () => {};
  }
}

const ROUTES = {
  authorization: '/auth',
  token: '/token',
  userinfo: '/me',
  revocation: '/token/revocation',
  jwks: '/jwks',
  end_session: '/session/end',
};
const API_USER_PATH = '/api/user';
// oidc-provider's own routes for these (not renamed).
const PAR_PATH = '/request';
const DEVICE_AUTHORIZATION_PATH = '/device/auth';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const ALL_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];
const INTERACTION_PATH =
  /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/;
// Registered for clients that accept any loopback callback: two, so that oidc-provider never
// falls back to "the single registered redirect_uri" when a request omits it.
const LOOPBACK_PLACEHOLDERS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TOKEN_BODY_LIMIT = 1024 * 1024;
const FORM_BODY_LIMIT = 64 * 1024;
const DAY = 24 * 60 * 60;

/** Everything the server knows once started. */
const state = {
  provider: undefined,
  callback: undefined,
  server: undefined,
  issuer: undefined,
  interactive: false,
  requireNonce: false,
  // The client authentication methods accepted (and listed in discovery).
  tokenAuthMethods: ALL_AUTH_METHODS,
  keepAccessTokensOnRevocation: false,
  dpop: { enabled: false, requireNonce: false },
  apiNonce: undefined,
  devicePollInterval: undefined,
  devicePolls: new Map(),
  seenProofs: new Map(),
  users: {},
  anyLoopbackClients: new Set(),
  scripted: [],
  stats: freshStats(),
  store: undefined,
};

function freshStats() {
  return {
    tokenRequests: {
      authorization_code: 0,
      refresh_token: 0,
      client_credentials: 0,
      device_code: 0,
      total: 0,
    },
    clientAuthentication: {},
    pushedAuthorizationRequests: 0,
    deviceAuthorizations: 0,
    revocations: 0,
    userinfo: 0,
    apiRequests: 0,
  };
}

function debug(message) {
  if (DEBUG) process.stderr.write(`[local-authorization-server] ${message}\n`);
}

function epochTime() {
  return Math.floor(Date.now() / 1000);
}

// ---------------------------------------------------------------------------------------------
// Storage: an unbounded in-memory adapter (oidc-provider's own memory adapter is an LRU of 1000
// entries, which long benchmarks would overflow, evicting clients and grants).

class LocalStore {
  entries = new Map();
  grantMembers = new Map();

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key, value, expiresAt) {
    this.entries.set(key, { value, expiresAt });
  }

  delete(key) {
    this.entries.delete(key);
  }

  sweep() {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

function createAdapter(store) {
  return class LocalAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      const expiresAt =
        typeof expiresIn === 'number'
          ? Date.now() + expiresIn * 1000
          : Infinity;
      const key = this.key(id);
      store.set(key, payload, expiresAt);
      if (this.model === 'Session' && payload.uid) {
        store.set(`sessionUid:${payload.uid}`, id, expiresAt);
      }
      if (payload.userCode) {
        store.set(`userCode:${payload.userCode}`, id, expiresAt);
      }
      if (payload.grantId) {
        const grantKey = `${this.model}:grant:${payload.grantId}`;
        const members = store.grantMembers.get(grantKey) ?? new Set();
        members.add(key);
        store.grantMembers.set(grantKey, members);
      }
    }

    async find(id) {
      return store.get(this.key(id));
    }

    async findByUid(uid) {
      const id = store.get(`sessionUid:${uid}`);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode) {
      const id = store.get(`userCode:${userCode}`);
      return id === undefined ? undefined : this.find(id);
    }

    async consume(id) {
      const payload = store.get(this.key(id));
      if (payload) payload.consumed = epochTime();
    }

    async destroy(id) {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId) {
      const grantKey = `${this.model}:grant:${grantId}`;
      for (const key of store.grantMembers.get(grantKey) ?? [])
        store.delete(key);
      store.grantMembers.delete(grantKey);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Provider configuration.

function claimsFor(accountId) {
  const user = state.users[accountId] ?? {};
  return {
    sub: accountId,
    name: user.name ?? accountId,
    preferred_username: accountId,
    email: user.email ?? `${accountId}@example.com`,
    email_verified: true,
  };
}

function configuration(options, signingKey) {
  return {
    adapter: createAdapter(state.store),
    clients: [],
    jwks: {
      keys: [
        {
          ...signingKey,
          kid: signingKey.kid ?? randomUUID(),
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    // claimsInIdToken: the ID token carries the scopes' claims (name, email) too.
    conformIdTokenClaims: !options.claimsInIdToken,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    clientAuthMethods: state.tokenAuthMethods,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: defaultAuthMethod(true),
      id_token_signed_response_alg: 'RS256',
    },
    routes: { ...ROUTES },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => claimsFor(sub),
    }),
    features: {
      devInteractions: { enabled: false },
      dPoP: {
        enabled: state.dpop.enabled,
        nonceSecret: state.dpop.requireNonce ? randomBytes(32) : undefined,
        requireNonce: () => state.dpop.requireNonce,
      },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: Boolean(
          options.requirePushedAuthorizationRequests,
        ),
      },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      // Plain opaque access tokens, usable at the userinfo endpoint.
      resourceIndicators: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) return false;
          // keepAccessTokensOnRevocation: revoking a refresh token ends only that token, as RFC
          // 7009 section 2.1 allows; the grant's access tokens stay valid.
          if (
            state.keepAccessTokensOnRevocation &&
            token.kind === 'RefreshToken'
          ) {
            await token.destroy();
            return false;
          }
          return true;
        },
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        postLogoutSuccessSource,
      },
    },
    interactions: {
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // OpenID clients get a refresh token with offline_access; plain OAuth clients (no openid
    // scope) always get one, as most OAuth providers do.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || !code.scopes.has('openid')),
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    expiresWithSession: async () => false,
    clientBasedCORS: () => true,
    // Tokens expire exactly when expires_in says (the default tolerance would add 15 s).
    clockTolerance: 0,
    renderError,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      ClientCredentials: options.accessTokenTtl ?? 3600,
      DeviceCode: options.deviceCodeTtl ?? 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * DAY,
      Interaction: 600,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  };
}

function isLoopbackCallback(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

function patchLoopbackRedirects(Client) {
  const { redirectUriAllowed, postLogoutRedirectUriAllowed } = Client.prototype;
  Client.prototype.redirectUriAllowed = function (value) {
    return (
      (state.anyLoopbackClients.has(this.clientId) &&
        isLoopbackCallback(value)) ||
      redirectUriAllowed.call(this, value)
    );
  };
  Client.prototype.postLogoutRedirectUriAllowed = function (value) {
    return (
      (state.anyLoopbackClients.has(this.clientId) &&
        isLoopbackCallback(value)) ||
      postLogoutRedirectUriAllowed.call(this, value)
    );
  };
}

/** The registered method of a client that does not name one: post when allowed (the default). */
function defaultAuthMethod(hasSecret) {
  if (!hasSecret) return 'none';
  return (
    ['client_secret_post', 'client_secret_basic', 'client_secret_jwt'].find(
      (method) => state.tokenAuthMethods.includes(method),
    ) ?? 'client_secret_post'
  );
}

async function registerClient(client) {
  const anyLoopback = !client.redirectUris?.length;
  const metadata = {
    client_id: client.clientId,
    redirect_uris: anyLoopback ? LOOPBACK_PLACEHOLDERS : client.redirectUris,
    post_logout_redirect_uris: anyLoopback ? LOOPBACK_PLACEHOLDERS : [],
    grant_types: [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      DEVICE_CODE_GRANT,
    ],
    response_types: ['code'],
    token_endpoint_auth_method:
      client.tokenAuthMethod ?? defaultAuthMethod(Boolean(client.clientSecret)),
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    ...(client.jwks ? { jwks: client.jwks } : {}),
  };
  try {
    await state.provider.Client.validate(metadata);
  } catch (err) {
    throw new Error(
      `client '${client.clientId}' is invalid (${err.error_description ?? err.message}): ` +
        'use http(s) redirect URIs without fragments, or omit redirectUris to accept any loopback callback',
    );
  }
  await state.provider.Client.adapter.upsert(client.clientId, metadata);
  if (anyLoopback) state.anyLoopbackClients.add(client.clientId);
  else state.anyLoopbackClients.delete(client.clientId);
}

// ---------------------------------------------------------------------------------------------
// HTML.

function escapeHtml(value) {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ],
  );
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - Local Authorization Server</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}form{display:flex;flex-direction:column;gap:.75rem}
input{padding:.5rem;font-size:1rem}button{padding:.5rem;font-size:1rem;cursor:pointer}
.actions{flex-direction:row}.muted{color:#666;font-size:.9rem}
</style>
</head>
<body>
${body}
</body>
</html>`;
}

function loginPage(details) {
  const { uid, params } = details;
  const known = Object.keys(state.users);
  const hint = known.length
    ? `<p class="muted">Known users: ${known.map(escapeHtml).join(', ')}. Any other name works too.</p>`
    : '<p class="muted">Any username works.</p>';
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(params.client_id)}</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" value="${escapeHtml(params.login_hint ?? '')}" placeholder="user-1" autofocus>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>
${hint}`,
  );
}

function consentPage(details) {
  const { uid, params, session } = details;
  const scopes = String(params.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const list = scopes.length
    ? `<ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
    : '<p class="muted">No scopes requested.</p>';
  return page(
    'Authorize',
    `<h1>Allow ${escapeHtml(params.client_id)} to access your account?</h1>
<p>Signed in as <strong>${escapeHtml(session?.accountId)}</strong>. Requested scopes:</p>
${list}
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Deny</button></form>`,
  );
}

async function renderError(ctx, out) {
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.type = 'json';
    ctx.body = out;
    return;
  }
  ctx.type = 'html';
  ctx.body = page(
    'Error',
    `<h1>Something went wrong</h1>
<p id="error">${escapeHtml(out.error)}</p>
<p id="error_description">${escapeHtml(out.error_description)}</p>`,
  );
}

async function logoutSource(ctx, form) {
  ctx.body = page(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(state.issuer)}?</h1>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<h1>You are signed out.</h1>');
}

// ---------------------------------------------------------------------------------------------
// HTTP layer.

class HttpError extends Error {
  constructor(status, error, description) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(
          new HttpError(
            413,
            'invalid_request',
            `request body larger than ${limit} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function wantsJson(req) {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

function sendError(req, res, status, error, description) {
  if (wantsJson(req)) {
    sendJson(res, status, { error, error_description: description });
  } else {
    sendHtml(
      res,
      status,
      page(
        'Error',
        `<h1>Something went wrong</h1>
<p id="error">${escapeHtml(error)}</p>
<p id="error_description">${escapeHtml(description)}</p>`,
      ),
    );
  }
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', state.issuer);
  const path = url.pathname;
  debug(`${req.method} ${path}`);

  const interaction = INTERACTION_PATH.exec(path);
  if (interaction)
    return handleInteraction(req, res, interaction[1], interaction[2]);
  if (path === API_USER_PATH) return handleApiUser(req, res);

  if (path === ROUTES.authorization && req.method === 'GET') {
    refuseWithoutNonce(url.searchParams);
    // oidc-provider grants offline_access only with prompt=consent (OpenID Connect Core 11);
    // most OAuth clients never send it, so ask for consent on their behalf.
    const scopes = (url.searchParams.get('scope') ?? '').split(' ');
    if (scopes.includes('offline_access') && !url.searchParams.has('prompt')) {
      url.searchParams.set('prompt', 'consent');
      req.url = `${url.pathname}${url.search}`;
    }
  } else if (path === ROUTES.token && req.method === 'POST') {
    const body = await readBody(req, TOKEN_BODY_LIMIT);
    const params = new URLSearchParams(body.toString('utf8'));
    const grantType = params.get('grant_type');
    const counts = state.stats.tokenRequests;
    counts.total += 1;
    if (grantType === 'authorization_code' || grantType === 'refresh_token') {
      counts[grantType] += 1;
    } else if (grantType === 'client_credentials') {
      counts.client_credentials += 1;
    } else if (grantType === DEVICE_CODE_GRANT) {
      counts.device_code += 1;
    }
    enforceAuthMethod(req, params);
    if (grantType === DEVICE_CODE_GRANT && pollsTooSoon(params)) {
      return sendJson(res, 400, {
        error: 'slow_down',
        error_description: `poll at most every ${state.devicePollInterval} s`,
      });
    }
    const scripted = takeScripted();
    if (scripted) return playScripted(req, res, scripted);
    // The stream is consumed: oidc-provider falls back to an already-read req.body.
    req.body = body;
  } else if (path === ROUTES.revocation && req.method === 'POST') {
    state.stats.revocations += 1;
    const body = await readBody(req, FORM_BODY_LIMIT);
    enforceAuthMethod(req, new URLSearchParams(body.toString('utf8')));
    req.body = body;
  } else if (path === PAR_PATH && req.method === 'POST') {
    state.stats.pushedAuthorizationRequests += 1;
    const body = await readBody(req, FORM_BODY_LIMIT);
    const params = new URLSearchParams(body.toString('utf8'));
    enforceAuthMethod(req, params);
    refuseWithoutNonce(params);
    req.body = body;
  } else if (path === DEVICE_AUTHORIZATION_PATH && req.method === 'POST') {
    state.stats.deviceAuthorizations += 1;
    const body = await readBody(req, FORM_BODY_LIMIT);
    enforceAuthMethod(req, new URLSearchParams(body.toString('utf8')));
    req.body = body;
    if (state.devicePollInterval) addPollInterval(res);
  } else if (
    path === ROUTES.userinfo &&
    (req.method === 'GET' || req.method === 'POST')
  ) {
    state.stats.userinfo += 1;
  }
  return state.callback(req, res);
}

// devicePollInterval: oidc-provider names no interval (RFC 8628 then means 5 s); this one is
// added to device authorization answers, and polling faster gets slow_down (section 3.5).
function addPollInterval(res) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    try {
      const answer = JSON.parse(Buffer.from(chunk).toString('utf8'));
      if (answer.device_code) {
        const text = JSON.stringify({
          ...answer,
          interval: state.devicePollInterval,
        });
        res.setHeader('content-length', Buffer.byteLength(text));
        return end(text, ...rest);
      }
    } catch {
      // not the JSON answer: send it as it is
    }
    return end(chunk, ...rest);
  };
}

function pollsTooSoon(params) {
  if (!state.devicePollInterval) return false;
  const code = params.get('device_code') ?? '';
  const last = state.devicePolls.get(code);
  const now = Date.now();
  state.devicePolls.set(code, now);
  return (
    last !== undefined && now - last < state.devicePollInterval * 1000 - 250
  );
}

/** The client authentication method a request uses, from its header and body. */
function authMethodOf(req, params) {
  if (/^basic\s/i.test(req.headers.authorization ?? '')) {
    return 'client_secret_basic';
  }
  const assertion = params.get('client_assertion');
  if (assertion) {
    try {
      const header = JSON.parse(
        Buffer.from(assertion.split('.')[0], 'base64url').toString('utf8'),
      );
      return String(header.alg).startsWith('HS')
        ? 'client_secret_jwt'
        : 'private_key_jwt';
    } catch {
      return 'private_key_jwt';
    }
  }
  if (params.get('client_secret')) return 'client_secret_post';
  return 'none';
}

// tokenAuthMethods: oidc-provider takes client_secret_basic and client_secret_post as one; a
// server that supports only HTTP Basic (all RFC 6749 requires) refuses the other here.
function enforceAuthMethod(req, params) {
  const method = authMethodOf(req, params);
  const counts = state.stats.clientAuthentication;
  counts[method] = (counts[method] ?? 0) + 1;
  if (!state.tokenAuthMethods.includes(method)) {
    throw new HttpError(
      401,
      'invalid_client',
      `client authentication by ${method} is not supported (token_endpoint_auth_methods_supported: ` +
        `${state.tokenAuthMethods.join(', ')})`,
    );
  }
}

// requireNonce: like servers that want a nonce whenever openid is asked for, even with the code
// flow (OpenID Connect Core makes it optional there).
function refuseWithoutNonce(params) {
  if (!state.requireNonce) return;
  const scopes = (params.get('scope') ?? '').split(' ');
  if (scopes.includes('openid') && !params.get('nonce')) {
    throw new HttpError(
      400,
      'invalid_request',
      'nonce is required when the scope includes openid',
    );
  }
}

function takeScripted() {
  const next = state.scripted[0];
  if (!next) return undefined;
  next.remaining -= 1;
  if (next.remaining <= 0) state.scripted.shift();
  return next;
}

function playScripted(req, res, scripted) {
  const respond = () => {
    if (res.destroyed) return;
    res.writeHead(scripted.status, {
      'content-length': Buffer.byteLength(scripted.body),
      'cache-control': 'no-store',
      ...scripted.headers,
    });
    res.end(scripted.body);
  };
  if (!scripted.delayMs) return respond();
  const timer = setTimeout(respond, scripted.delayMs);
  res.on('close', () => clearTimeout(timer));
}

async function handleApiUser(req, res) {
  state.stats.apiRequests += 1;
  if (req.method !== 'GET') {
    return sendJson(res, 405, {
      error: 'invalid_request',
      error_description: 'use GET',
    });
  }
  const realm = `realm="${state.issuer}"`;
  // RFC 6750 section 3.1: no error code in the challenge when no credentials came at all.
  const refuse = (scheme, error, description, headers = {}, challenge = true) =>
    sendJson(
      res,
      401,
      { error, error_description: description },
      {
        'www-authenticate': `${scheme} ${realm}${challenge ? `, error="${error}"` : ''}`,
        ...headers,
      },
    );
  const presented = /^(Bearer|DPoP)\s+(\S+)$/i.exec(
    req.headers.authorization ?? '',
  );
  if (!presented) {
    return refuse(
      'Bearer',
      'invalid_token',
      'send Authorization: Bearer <access token>',
      {},
      false,
    );
  }
  const scheme = presented[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const value = presented[2];
  const token =
    (await state.provider.AccessToken.find(value)) ??
    (await state.provider.ClientCredentials.find(value));
  if (!token) {
    return refuse(
      scheme,
      'invalid_token',
      'access token is invalid, expired or revoked',
    );
  }
  if (token.jkt) {
    // A DPoP-bound token (RFC 9449 section 7): only with the DPoP scheme and a proof made with
    // the key it is bound to, for this request.
    if (scheme !== 'DPoP') {
      return refuse(
        'DPoP',
        'invalid_token',
        'this access token is DPoP-bound: send it with the DPoP scheme and a proof',
      );
    }
    const problem = await dpopProblem(req, value, token.jkt);
    if (problem === 'use_dpop_nonce') {
      return refuse('DPoP', 'use_dpop_nonce', 'a DPoP nonce is required', {
        'dpop-nonce': state.apiNonce,
      });
    }
    if (problem) return refuse('DPoP', 'invalid_dpop_proof', problem);
  }
  const identity = token.accountId
    ? claimsFor(token.accountId)
    : { sub: null, app: true };
  return sendJson(res, 200, {
    ...identity,
    client_id: token.clientId,
    scope: token.scope ?? '',
    ...(token.jkt ? { cnf: { jkt: token.jkt } } : {}),
  });
}

/** Why a request's DPoP proof does not hold (RFC 9449 section 4.3), or undefined when it does. */
async function dpopProblem(req, accessToken, jkt) {
  const proof = req.headers.dpop;
  if (typeof proof !== 'string') return 'no DPoP proof';
  const jose = await import('jose');
  let verified;
  try {
    verified = await jose.jwtVerify(proof, jose.EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519'],
      maxTokenAge: 300,
      clockTolerance: 5,
    });
  } catch (err) {
    return `the DPoP proof is invalid (${err.code ?? err.message})`;
  }
  const { payload, protectedHeader } = verified;
  const url = new URL(req.url ?? '/', state.issuer);
  if (payload.htm !== req.method) return 'the proof is for another method';
  if (payload.htu !== `${url.origin}${url.pathname}`) {
    return 'the proof is for another URL';
  }
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  if (payload.ath !== ath) return 'the proof is for another access token';
  // Nonces are no secret: asked for before the key is checked, as servers do.
  if (state.dpop.requireNonce && payload.nonce !== state.apiNonce) {
    return 'use_dpop_nonce';
  }
  const thumbprint = await jose.calculateJwkThumbprint(protectedHeader.jwk);
  if (thumbprint !== jkt) {
    return 'the proof is signed with another key than the token is bound to';
  }
  if (typeof payload.jti !== 'string' || state.seenProofs.has(payload.jti)) {
    return 'the proof was used before';
  }
  state.seenProofs.set(payload.jti, Date.now());
  for (const [jti, at] of state.seenProofs) {
    if (Date.now() - at > 600_000) state.seenProofs.delete(jti);
  }
  return undefined;
}

async function handleInteraction(req, res, uid, action) {
  const { provider } = state;
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    throw new HttpError(
      400,
      'invalid_request',
      'this sign-in has expired or its cookie is missing: start again from the client',
    );
  }
  if (details.uid !== uid) {
    throw new HttpError(
      400,
      'invalid_request',
      'this sign-in page belongs to another request: start again from the client',
    );
  }
  const prompt = details.prompt.name;

  if (!action) {
    if (req.method !== 'GET')
      throw new HttpError(405, 'invalid_request', 'use GET');
    if (wantsJson(req)) {
      return sendJson(res, 200, {
        uid,
        prompt,
        clientId: details.params.client_id,
        scope: details.params.scope ?? '',
        loginHint: details.params.login_hint ?? null,
        accountId: details.session?.accountId ?? null,
      });
    }
    if (!state.interactive) {
      return prompt === 'login'
        ? login(req, res, details, undefined)
        : consent(req, res, details);
    }
    return sendHtml(
      res,
      200,
      prompt === 'login' ? loginPage(details) : consentPage(details),
    );
  }

  if (req.method !== 'POST')
    throw new HttpError(405, 'invalid_request', 'use POST');
  const form = new URLSearchParams(
    (await readBody(req, FORM_BODY_LIMIT)).toString('utf8'),
  );
  if (action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      {
        error: 'access_denied',
        error_description: 'End-User denied the authorization request',
      },
      { mergeWithLastSubmission: false },
    );
  }
  if (action === 'login') {
    if (prompt !== 'login') {
      throw new HttpError(
        400,
        'invalid_request',
        `this step asks for ${prompt}, not login: POST to /confirm`,
      );
    }
    return login(req, res, details, form.get('username'));
  }
  if (prompt !== 'consent') {
    throw new HttpError(
      400,
      'invalid_request',
      `this step asks for ${prompt}, not consent: POST to /login`,
    );
  }
  return consent(req, res, details);
}

async function login(req, res, details, username) {
  const accountId = username?.trim() || details.params.login_hint || 'user-1';
  if (accountId.length > 200) {
    throw new HttpError(
      400,
      'invalid_request',
      'username is longer than 200 characters',
    );
  }
  return state.provider.interactionFinished(
    req,
    res,
    { login: { accountId } },
    { mergeWithLastSubmission: false },
  );
}

async function consent(req, res, details) {
  const { provider } = state;
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({
        accountId: session.accountId,
        clientId: params.client_id,
      });
  const missing = prompt.details ?? {};
  if (missing.missingOIDCScope)
    grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(
    missing.missingResourceScopes ?? {},
  )) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  return provider.interactionFinished(
    req,
    res,
    { consent: details.grantId ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

function onRequest(req, res) {
  handle(req, res).catch((err) => {
    const status = err instanceof HttpError ? err.status : 500;
    debug(`${req.method} ${req.url?.split('?')[0]} failed: ${err.message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      sendError(req, res, status, err.error, err.message);
    } else {
      sendError(
        req,
        res,
        500,
        'server_error',
        'the local authorization server failed',
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// IPC.

const methods = {
  async start(options) {
    if (state.server) throw new Error('already started');
    // Key generation (about 0.3 s) runs while oidc-provider loads.
    const keyPair = promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    let Provider;
    try {
      ({ default: Provider } = await import('oidc-provider'));
    } catch (err) {
      throw new Error(
        `cannot load oidc-provider (${err.message}): install it with npm install --save-dev oidc-provider@9`,
      );
    }
    state.interactive = Boolean(options.interactive);
    state.requireNonce = Boolean(options.requireNonce);
    state.tokenAuthMethods = options.tokenAuthMethods ?? ALL_AUTH_METHODS;
    state.keepAccessTokensOnRevocation = Boolean(
      options.keepAccessTokensOnRevocation,
    );
    state.dpop = {
      enabled: Boolean(options.dpop),
      requireNonce: Boolean(options.dpop?.requireNonce),
    };
    state.apiNonce = randomBytes(16).toString('base64url');
    state.devicePollInterval = options.devicePollInterval;
    state.users = options.users ?? {};
    state.store = new LocalStore();
    setInterval(() => state.store.sweep(), 60_000).unref();

    const server = createServer(onRequest);
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err) => {
      throw new Error(
        err.code === 'EADDRINUSE'
          ? `port ${options.port} is already in use: pass port: 0 to get a free one`
          : `cannot listen on 127.0.0.1:${options.port ?? 0} (${err.message})`,
      );
    });
    const { port } = server.address();
    state.server = server;
    state.issuer = `http://127.0.0.1:${port}`;
    const signingKey =
      options.signingKey ??
      (await keyPair).privateKey.export({ format: 'jwk' });
    state.provider = new Provider(
      state.issuer,
      configuration(options, signingKey),
    );
    for (const event of [
      'server_error',
      'grant.error',
      'authorization.error',
      'userinfo.error',
    ]) {
      state.provider.on(event, (_ctx, err) =>
        debug(
          `${event}: ${err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`,
        ),
      );
    }
    patchLoopbackRedirects(state.provider.Client);
    for (const client of options.clients) await registerClient(client);
    state.callback = state.provider.callback();
    return { issuer: state.issuer, port };
  },

  async registerClient(client) {
    await registerClient(client);
  },

  async stats() {
    return {
      ...state.stats,
      pendingScriptedResponses: state.scripted.reduce(
        (n, s) => n + s.remaining,
        0,
      ),
    };
  },

  async resetStats() {
    state.stats = freshStats();
  },

  async scriptTokenResponse(scripted) {
    state.scripted.push({ ...scripted, remaining: scripted.times });
  },

  async clearScriptedTokenResponses() {
    state.scripted = [];
  },

  async approveDevice({ userCode, user, approve }) {
    const { provider } = state;
    const normalized = String(userCode)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    const code =
      (await provider.DeviceCode.findByUserCode(normalized)) ??
      (await provider.DeviceCode.findByUserCode(String(userCode)));
    if (!code || code.isExpired) {
      throw new Error(
        `no pending device authorization has the user code ${JSON.stringify(userCode)}: start one first, ` +
          'or it expired',
      );
    }
    if (approve === false) {
      code.error = 'access_denied';
      code.errorDescription = 'End-User denied the authorization request';
    } else {
      const accountId = user ?? 'user-1';
      const grant = new provider.Grant({ accountId, clientId: code.clientId });
      if (code.params?.scope) grant.addOIDCScope(code.params.scope);
      code.accountId = accountId;
      code.scope = String(code.params?.scope ?? '');
      code.authTime = epochTime();
      code.grantId = await grant.save();
    }
    await code.save();
  },

  async expireAccessTokens() {
    const past = epochTime() - 1;
    let expired = 0;
    for (const [key, entry] of state.store.entries) {
      if (
        (key.startsWith('AccessToken:') ||
          key.startsWith('ClientCredentials:')) &&
        entry.value.exp > past
      ) {
        entry.value.exp = past;
        expired += 1;
      }
    }
    return expired;
  },

  async stop() {
    setImmediate(() => shutdown(0));
  },
};

function shutdown(code) {
  if (state.server) {
    state.server.close();
    state.server.closeAllConnections();
  }
  process.exit(code);
}

process.on('message', (message) => {
  if (!message || typeof message !== 'object' || typeof message.id !== 'number')
    return;
  const { id, method, params } = message;
  const run = methods[method];
  Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown method ${method}`);
      return run(params);
    })
    .then(
      (result) => process.connected && process.send({ id, result }),
      (err) =>
        process.connected &&
        process.send({ id, error: String(err?.message ?? err) }),
    );
});

// Die with the parent: the IPC channel closes when it exits or crashes; the ppid check covers a
// parent killed before the channel notices.
process.on('disconnect', () => shutdown(0));
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown(0);
}, 1000).unref();

import {
  createHmac,
  createPublicKey,
  KeyObject,
  randomBytes,
  timingSafeEqual,
  verify as verifySignature,
} from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import OAuth from 'oauth-1.0a';

/**
 * A real OAuth 1.0a service provider (RFC 5849) on 127.0.0.1 for tests: request tokens,
 * scripted authorization, access tokens and protected resources under Jira's paths. Every
 * signature is checked on the server side with the `oauth-1.0a` package (signature base
 * string; HMAC-SHA1 recomputed with `node:crypto`, RSA-SHA1 verified against the registered
 * public key): an independent implementation from the node-oauth client under test.
 */

/** A registered consumer: HMAC-SHA1 with a secret, or RSA-SHA1 with a public key. */
export type Consumer =
  | { key: string; method: 'HMAC-SHA1'; secret: string }
  | { key: string; method: 'RSA-SHA1'; publicKey: string };

/** One endpoint the provider can be told to break. */
export type Endpoint = 'request-token' | 'access-token';

/** What the provider saw, to assert on. */
export interface ProviderStats {
  requestTokenRequests: number;
  accessTokenRequests: number;
  /** Protected resource requests whose signature checked out. */
  apiCalls: number;
  /** Requests refused, by reason (`bad_signature`, `nonce_used`, `token_rejected`...). */
  refused: Record<string, number>;
  /** The oauth_callback of the last request token request. */
  lastCallback?: string;
}

interface RequestToken {
  consumer: string;
  secret: string;
  callback: string;
  verifier?: string;
  user?: string;
  used: boolean;
}

interface AccessToken {
  consumer: string;
  secret: string;
  user: string;
}

/** The paths, as a Jira server has them (below an optional context path). */
export const PATHS = {
  requestToken: '/plugins/servlet/oauth/request-token',
  authorize: '/plugins/servlet/oauth/authorize',
  accessToken: '/plugins/servlet/oauth/access-token',
  myself: '/rest/api/2/myself',
  echo: '/rest/api/2/echo',
  /** Any path below this is a protected resource answering like `echo` (odd characters welcome). */
  items: '/rest/api/2/items/',
};

export class OAuth1Provider {
  private readonly consumers = new Map<
    string,
    Consumer & { publicKeyObject?: KeyObject }
  >();
  private readonly requestTokens = new Map<string, RequestToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly nonces = new Set<string>();
  private readonly failures = new Map<
    Endpoint,
    { status: number; body: string }
  >();
  private counters: ProviderStats = this.emptyStats();

  private constructor(
    private readonly server: Server,
    /** The provider's origin plus context path, e.g. http://127.0.0.1:40123/jira. */
    readonly url: string,
    private readonly contextPath: string,
  ) {}

  /** Starts a provider on 127.0.0.1 serving below `contextPath` (e.g. `/jira`). */
  static async start(contextPath = ''): Promise<OAuth1Provider> {
    const ref: { provider?: OAuth1Provider } = {};
    const server = createServer((request, response) => {
      ref.provider!.handle(request, response).catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    ref.provider = new OAuth1Provider(
      server,
      `http://127.0.0.1:${port}${contextPath}`,
      contextPath,
    );
    return ref.provider;
  }

  /** Registers a consumer (an application link, in Jira's words). */
  register(consumer: Consumer): void {
    this.consumers.set(consumer.key, {
      ...consumer,
      publicKeyObject:
        consumer.method === 'RSA-SHA1'
          ? createPublicKey(consumer.publicKey)
          : undefined,
    });
  }

  /** An endpoint URL, e.g. `endpoint('requestToken')`. */
  endpoint(name: keyof typeof PATHS): string {
    return `${this.url}${PATHS[name]}`;
  }

  /** Makes the next call to `endpoint` answer `status` with `body`. */
  failNext(endpoint: Endpoint, status: number, body = ''): void {
    this.failures.set(endpoint, { status, body });
  }

  /** What the provider saw since the last `resetStats`. */
  stats(): ProviderStats {
    return structuredClone(this.counters);
  }

  /** Forgets the counters (not the tokens). */
  resetStats(): void {
    this.counters = this.emptyStats();
    this.failures.clear();
  }

  /** Whether an access token was issued with this value (and so could be used). */
  hasAccessToken(token: string): boolean {
    return this.accessTokens.has(token);
  }

  /**
   * The user's visit to the authorization URL, scripted: approve (as `user`) or deny; resolves
   * to the URL the provider redirects the browser to (the consumer's callback).
   */
  async authorize(
    authorizationUrl: string,
    options: { user?: string; approve?: boolean } = {},
  ): Promise<URL> {
    const url = new URL(authorizationUrl);
    url.searchParams.set('user', options.user ?? 'alice');
    url.searchParams.set('approve', options.approve === false ? 'no' : 'yes');
    const response = await fetch(url, { redirect: 'manual' });
    if (response.status !== 302) {
      throw new Error(
        `authorization answered ${response.status}: ${await response.text()}`,
      );
    }
    return new URL(response.headers.get('location')!);
  }

  /** Stops the server. */
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private emptyStats(): ProviderStats {
    return {
      requestTokenRequests: 0,
      accessTokenRequests: 0,
      apiCalls: 0,
      refused: {},
    };
  }

  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const url = new URL(request.url!, this.url);
    const path = url.pathname.startsWith(this.contextPath)
      ? url.pathname.slice(this.contextPath.length)
      : url.pathname;
    const body = await readBody(request);
    switch (path) {
      case PATHS.requestToken:
        return this.requestToken(request, body, response);
      case PATHS.authorize:
        return this.authorizePage(url, response);
      case PATHS.accessToken:
        return this.accessToken(request, body, response);
      case PATHS.myself:
      case PATHS.echo:
        return this.resource(path, request, body, response);
      default:
        if (path.startsWith(PATHS.items))
          return this.resource(path, request, body, response);
        return send(response, 404, 'text/plain', 'not found');
    }
  }

  private requestToken(
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): void {
    this.counters.requestTokenRequests++;
    if (this.injectedFailure('request-token', response)) return;
    const checked = this.check(request, body, () => '');
    if ('problem' in checked) return this.refuse(response, checked.problem);
    const callback = checked.oauth.oauth_callback;
    if (!callback) return this.refuse(response, 'parameter_absent', 400);
    this.counters.lastCallback = callback;
    const token = randomBytes(16).toString('hex');
    const secret = randomBytes(16).toString('hex');
    this.requestTokens.set(token, {
      consumer: checked.consumer,
      secret,
      callback,
      used: false,
    });
    send(
      response,
      200,
      'application/x-www-form-urlencoded',
      new URLSearchParams({
        oauth_token: token,
        oauth_token_secret: secret,
        oauth_callback_confirmed: 'true',
      }).toString(),
    );
  }

  private authorizePage(url: URL, response: ServerResponse): void {
    const token = url.searchParams.get('oauth_token') ?? '';
    const pending = this.requestTokens.get(token);
    if (!pending || pending.used)
      return send(response, 400, 'text/plain', 'unknown request token');
    const callback = new URL(pending.callback);
    callback.searchParams.set('oauth_token', token);
    if (url.searchParams.get('approve') === 'yes') {
      pending.user = url.searchParams.get('user') ?? 'alice';
      pending.verifier = randomBytes(8).toString('hex');
      callback.searchParams.set('oauth_verifier', pending.verifier);
    } else {
      // What Jira (Atlassian's OAuth plugin) sends when the user clicks Deny.
      callback.searchParams.set('oauth_verifier', 'denied');
      pending.used = true;
    }
    response.writeHead(302, { location: callback.toString() });
    response.end();
  }

  private accessToken(
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): void {
    this.counters.accessTokenRequests++;
    if (this.injectedFailure('access-token', response)) return;
    let pending: RequestToken | undefined;
    const checked = this.check(request, body, (token) => {
      pending = this.requestTokens.get(token);
      return pending?.secret;
    });
    if ('problem' in checked) return this.refuse(response, checked.problem);
    if (
      !pending ||
      pending.used ||
      !pending.verifier ||
      pending.consumer !== checked.consumer
    ) {
      return this.refuse(response, 'token_rejected');
    }
    if (checked.oauth.oauth_verifier !== pending.verifier) {
      return this.refuse(response, 'permission_denied');
    }
    pending.used = true;
    const token = randomBytes(16).toString('hex');
    const secret = randomBytes(16).toString('hex');
    this.accessTokens.set(token, {
      consumer: checked.consumer,
      secret,
      user: pending.user!,
    });
    send(
      response,
      200,
      'application/x-www-form-urlencoded',
      new URLSearchParams({
        oauth_token: token,
        oauth_token_secret: secret,
        oauth_expires_in: '157680000',
      }).toString(),
    );
  }

  private resource(
    path: string,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): void {
    let access: AccessToken | undefined;
    const checked = this.check(request, body, (token) => {
      access = this.accessTokens.get(token);
      return access?.secret;
    });
    if ('problem' in checked) return this.refuse(response, checked.problem);
    if (!access || access.consumer !== checked.consumer)
      return this.refuse(response, 'token_rejected');
    this.counters.apiCalls++;
    if (path === PATHS.myself) {
      return send(
        response,
        200,
        'application/json',
        JSON.stringify({
          key: `JIRAUSER-${access.user}`,
          name: access.user,
          displayName: `${access.user[0].toUpperCase()}${access.user.slice(1)} Example`,
          emailAddress: `${access.user}@example.com`,
          avatarUrls: { '48x48': `${this.url}/avatar/${access.user}.png` },
        }),
      );
    }
    const url = new URL(request.url!, this.url);
    send(
      response,
      200,
      'application/json',
      JSON.stringify({
        user: access.user,
        method: request.method,
        // The path as it arrived on the wire (what the signature was checked over).
        path: request.url!.split('?')[0],
        // What a man in the middle would see, for the tampering tests.
        authorization: request.headers.authorization,
        query: [...url.searchParams],
        form: [...new URLSearchParams(formText(request, body))],
      }),
    );
  }

  /**
   * Checks the Authorization header: a known consumer, its signature method, a fresh
   * timestamp, an unused nonce and the signature over method, URL, query, form body and
   * oauth_* parameters. `tokenSecret` finds the secret of `oauth_token` (`''` for none).
   */
  private check(
    request: IncomingMessage,
    body: string,
    tokenSecret: (token: string) => string | undefined,
  ): { consumer: string; oauth: Record<string, string> } | { problem: string } {
    const oauth = parseAuthorization(request.headers.authorization);
    if (!oauth) return { problem: 'parameter_absent' };
    const consumer = this.consumers.get(oauth.oauth_consumer_key ?? '');
    if (!consumer) return { problem: 'consumer_key_unknown' };
    if (oauth.oauth_signature_method !== consumer.method)
      return { problem: 'signature_method_rejected' };
    if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0')
      return { problem: 'version_rejected' };
    const timestamp = Number(oauth.oauth_timestamp);
    if (!Number.isInteger(timestamp)) return { problem: 'parameter_absent' };
    if (Math.abs(Date.now() / 1000 - timestamp) > 300)
      return { problem: 'timestamp_refused' };
    const secret = oauth.oauth_token ? tokenSecret(oauth.oauth_token) : '';
    if (secret === undefined) return { problem: 'token_rejected' };

    const { oauth_signature: signature, ...signed } = oauth;
    delete signed.realm;
    const requestData = {
      url: `http://${request.headers.host}${request.url}`,
      method: request.method!,
      data: formData(request, body),
    };
    let valid: boolean;
    if (consumer.method === 'HMAC-SHA1') {
      const checker = new OAuth({
        consumer: { key: consumer.key, secret: consumer.secret },
        signature_method: 'HMAC-SHA1',
        hash_function: (base, key) =>
          createHmac('sha1', key).update(base).digest('base64'),
      });
      const expected = Buffer.from(
        checker.getSignature(requestData, secret, signed as never),
      );
      const given = Buffer.from(signature ?? '');
      valid =
        expected.length === given.length && timingSafeEqual(expected, given);
    } else {
      const checker = new OAuth({
        consumer: { key: consumer.key, secret: '' },
        signature_method: 'RSA-SHA1',
        hash_function: () => '',
      });
      const base = checker.getBaseString(requestData, signed as never);
      valid = verifySignature(
        'sha1',
        Buffer.from(base),
        consumer.publicKeyObject!,
        Buffer.from(signature ?? '', 'base64'),
      );
    }
    if (!valid) return { problem: 'signature_invalid' };
    const nonce = `${consumer.key}:${oauth.oauth_timestamp}:${oauth.oauth_nonce}`;
    if (!oauth.oauth_nonce || this.nonces.has(nonce))
      return { problem: 'nonce_used' };
    this.nonces.add(nonce);
    return { consumer: consumer.key, oauth };
  }

  private refuse(response: ServerResponse, problem: string, status = 401) {
    this.counters.refused[problem] = (this.counters.refused[problem] ?? 0) + 1;
    send(
      response,
      status,
      'application/x-www-form-urlencoded',
      `oauth_problem=${problem}`,
    );
  }

  private injectedFailure(
    endpoint: Endpoint,
    response: ServerResponse,
  ): boolean {
    const failure = this.failures.get(endpoint);
    if (!failure) return false;
    this.failures.delete(endpoint);
    send(response, failure.status, 'text/plain', failure.body);
    return true;
  }
}

/** The oauth_* parameters of an `Authorization: OAuth ...` header, decoded. */
function parseAuthorization(
  header: string | undefined,
): Record<string, string> | null {
  if (!header || !/^OAuth\s+/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const part of header.replace(/^OAuth\s+/i, '').split(',')) {
    const match = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!match) return null;
    params[decodeURIComponent(match[1])] = decodeURIComponent(match[2]);
  }
  return params;
}

/** The form body's text, when the body is form-encoded (it is signed then). */
function formText(request: IncomingMessage, body: string): string {
  return (request.headers['content-type'] ?? '').startsWith(
    'application/x-www-form-urlencoded',
  )
    ? body
    : '';
}

/** The form body as oauth-1.0a's `data` (repeated names as arrays). */
function formData(
  request: IncomingMessage,
  body: string,
): Record<string, string | string[]> {
  const data: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(formText(request, body))) {
    const current = data[name];
    data[name] =
      current === undefined
        ? value
        : Array.isArray(current)
          ? [...current, value]
          : [current, value];
  }
  return data;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
): void {
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}

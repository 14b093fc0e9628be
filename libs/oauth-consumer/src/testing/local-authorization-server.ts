import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApproveDeviceOptions,
  CompleteAuthorizationOptions,
  LocalAuthorizationServerEndpoints,
  LocalAuthorizationServerOptions,
  LocalAuthorizationServerStats,
  LocalClient,
  ScriptedTokenResponse,
} from './local-authorization-server-options.interface';
import { LocalAuthorizationServerError } from './local-authorization-server.error';
import { completeAuthorizationFlow } from './local-front-channel.util';

/** The child script, shipped next to this file in the package (found from `__dirname`). */
const CHILD_SCRIPT = join(__dirname, 'local-authorization-server.child.mjs');
/** Set it to see the child's request log (methods and paths only) and oidc-provider's notices. */
const DEBUG_ENV = 'LOCAL_AUTHORIZATION_SERVER_DEBUG';
const START_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const STDERR_TAIL = 4096;

const DEFAULT_CLIENT = {
  clientId: 'local-client',
  clientSecret: 'local-secret',
};

/** Children alive in this process: killed if the process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Request/reply over the child's IPC channel; the channel is unref'd while idle. */
class ChildChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderr = '';
  exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (message: Reply) => this.settle(message));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const why = `the local authorization server process exited (${signal ?? `code ${code}`})`;
        this.failAll(why);
        resolve();
      });
      child.once('error', (err) =>
        this.failAll(
          `the local authorization server process failed: ${err.message}`,
        ),
      );
    });
    // Neither the child nor the idle channel keeps the parent alive: a forgotten stop() must not
    // hang Jest, and the child exits when the channel closes.
    child.unref();
    child.channel?.unref();
  }

  request<T>(
    method: string,
    params?: unknown,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<T> {
    if (!this.child.connected) {
      return Promise.reject(
        new LocalAuthorizationServerError(
          `LocalAuthorizationServer.${method}(): the server is stopped; start a new one with LocalAuthorizationServer.start()`,
        ),
      );
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.updateRef();
        reject(
          new LocalAuthorizationServerError(
            `LocalAuthorizationServer.${method}() got no answer within ${timeoutMs} ms${this.stderrNote()}`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
      });
      this.updateRef();
      this.child.send({ id, method, params });
    });
  }

  private settle(message: Reply): void {
    const pending = this.pending.get(message?.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    this.updateRef();
    if (message.error !== undefined) {
      pending.reject(
        new LocalAuthorizationServerError(
          `LocalAuthorizationServer: ${message.error}`,
        ),
      );
    } else {
      pending.resolve(message.result);
    }
  }

  private failAll(why: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new LocalAuthorizationServerError(`${why}${this.stderrNote()}`),
      );
      this.pending.delete(id);
    }
  }

  private updateRef(): void {
    if (this.pending.size) this.child.channel?.ref();
    else this.child.channel?.unref();
  }

  private stderrNote(): string {
    const tail = this.stderr.trim();
    return tail
      ? `; its stderr ends with:\n${tail}`
      : `; set ${DEBUG_ENV}=1 to see its log`;
  }
}

function checkOptions(options: LocalAuthorizationServerOptions): void {
  const { port, accessTokenTtl, clients } = options;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && port >= 0 && port <= 65535)
  ) {
    throw new LocalAuthorizationServerError(
      `LocalAuthorizationServer.start({ port: ${port} }): use an integer from 0 to 65535 (0 picks a free port)`,
    );
  }
  if (
    accessTokenTtl !== undefined &&
    !(Number.isInteger(accessTokenTtl) && accessTokenTtl > 0)
  ) {
    throw new LocalAuthorizationServerError(
      `LocalAuthorizationServer.start({ accessTokenTtl: ${accessTokenTtl} }): use a whole number of seconds above 0`,
    );
  }
  if (clients && !clients.length) {
    throw new LocalAuthorizationServerError(
      'LocalAuthorizationServer.start({ clients: [] }): register at least one client, or omit clients for the default one',
    );
  }
  const ids = new Set<string>();
  for (const client of clients ?? []) checkClient(client, ids);
}

function checkClient(client: LocalClient, ids = new Set<string>()): void {
  if (!client?.clientId) {
    throw new LocalAuthorizationServerError(
      'LocalClient needs a clientId (e.g. { clientId: "my-app" })',
    );
  }
  if (ids.has(client.clientId)) {
    throw new LocalAuthorizationServerError(
      `LocalClient '${client.clientId}' is listed twice: give each client its own clientId`,
    );
  }
  ids.add(client.clientId);
}

function scripted(response: ScriptedTokenResponse) {
  const { status = 200, delayMs = 0, times = 1 } = response;
  if (!(Number.isInteger(status) && status >= 100 && status <= 599)) {
    throw new LocalAuthorizationServerError(
      `scriptTokenResponse({ status: ${status} }): use an HTTP status from 100 to 599`,
    );
  }
  if (!(Number.isInteger(times) && times >= 1)) {
    throw new LocalAuthorizationServerError(
      `scriptTokenResponse({ times: ${times} }): use a whole number from 1`,
    );
  }
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new LocalAuthorizationServerError(
      `scriptTokenResponse({ delayMs: ${delayMs} }): use milliseconds from 0`,
    );
  }
  const body =
    typeof response.body === 'string'
      ? response.body
      : response.body === undefined
        ? ''
        : JSON.stringify(response.body);
  let isJson = typeof response.body === 'object';
  if (!isJson && body) {
    try {
      JSON.parse(body);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  const headers: Record<string, string> = {
    'content-type': isJson
      ? 'application/json; charset=utf-8'
      : 'text/plain; charset=utf-8',
  };
  for (const [name, value] of Object.entries(response.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return { status, body, headers, delayMs, times };
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  device_authorization_endpoint?: string;
}

/**
 * A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider, in a child process) on
 * 127.0.0.1, for end-to-end tests and the demo app: authorization code with PKCE, refresh token
 * rotation, userinfo, revocation, RFC 9207 `iss`, scripted token-endpoint failures and counters.
 * @publicApi
 */
export class LocalAuthorizationServer {
  /** The issuer, e.g. `http://127.0.0.1:41234`. */
  readonly issuer: string;
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** The first registered client's id (`local-client` by default). */
  readonly clientId: string;
  /** The first registered client's secret (`local-secret` by default; undefined for a public client). */
  readonly clientSecret: string | undefined;
  /** Absolute endpoint URLs, from the discovery document. */
  readonly endpoints: LocalAuthorizationServerEndpoints;

  private stopping?: Promise<void>;

  private constructor(
    private readonly channel: ChildChannel,
    init: Pick<
      LocalAuthorizationServer,
      'issuer' | 'port' | 'clientId' | 'clientSecret' | 'endpoints'
    >,
  ) {
    this.issuer = init.issuer;
    this.port = init.port;
    this.clientId = init.clientId;
    this.clientSecret = init.clientSecret;
    this.endpoints = init.endpoints;
  }

  /** Starts a server in a child process and resolves once it serves its discovery document. */
  static async start(
    options: LocalAuthorizationServerOptions = {},
  ): Promise<LocalAuthorizationServer> {
    checkOptions(options);
    if (!existsSync(CHILD_SCRIPT)) {
      throw new LocalAuthorizationServerError(
        `LocalAuthorizationServer cannot find its child script ${CHILD_SCRIPT}: it ships next to ` +
          'this file in the nest-dance package. Reinstall nest-dance (npm install nest-dance), and ' +
          'if your tests are bundled (webpack, esbuild), keep nest-dance external to the bundle.',
      );
    }
    const clients = options.clients ?? [
      { ...DEFAULT_CLIENT, redirectUris: options.redirectUris },
    ];
    const debug = Boolean(process.env[DEBUG_ENV]);
    const child = fork(CHILD_SCRIPT, [], {
      execArgv: [],
      stdio: [
        'ignore',
        debug ? 'inherit' : 'ignore',
        debug ? 'inherit' : 'pipe',
        'ipc',
      ],
      serialization: 'json',
    });
    killOnExit(child);
    const channel = new ChildChannel(child);
    try {
      const { issuer, port } = await channel.request<{
        issuer: string;
        port: number;
      }>(
        'start',
        {
          port: options.port ?? 0,
          clients,
          accessTokenTtl: options.accessTokenTtl ?? 3600,
          rotateRefreshTokens: options.rotateRefreshTokens ?? true,
          interactive: options.interactive ?? false,
          users: options.users ?? {},
          signingKey: options.signingKey,
          claimsInIdToken: options.claimsInIdToken ?? false,
          requireNonce: options.requireNonce ?? false,
          tokenAuthMethods: options.tokenAuthMethods,
          keepAccessTokensOnRevocation:
            options.keepAccessTokensOnRevocation ?? false,
          requirePushedAuthorizationRequests:
            options.requirePushedAuthorizationRequests ?? false,
          dpop:
            options.dpop === true
              ? { requireNonce: false }
              : options.dpop || undefined,
          deviceCodeTtl: options.deviceCodeTtl,
          devicePollInterval: options.devicePollInterval,
        },
        START_TIMEOUT_MS,
      );
      const response = await fetch(
        `${issuer}/.well-known/openid-configuration`,
      );
      if (!response.ok) {
        throw new LocalAuthorizationServerError(
          `LocalAuthorizationServer started but its discovery document answered ${response.status}`,
        );
      }
      const discovery = (await response.json()) as Discovery;
      return new LocalAuthorizationServer(channel, {
        issuer,
        port,
        clientId: clients[0].clientId,
        clientSecret: clients[0].clientSecret,
        endpoints: {
          authorization: discovery.authorization_endpoint,
          token: discovery.token_endpoint,
          userinfo: discovery.userinfo_endpoint,
          revocation: discovery.revocation_endpoint,
          jwks: discovery.jwks_uri,
          discovery: `${issuer}/.well-known/openid-configuration`,
          endSession: discovery.end_session_endpoint,
          pushedAuthorization: discovery.pushed_authorization_request_endpoint,
          deviceAuthorization: discovery.device_authorization_endpoint,
          api: `${issuer}/api`,
        },
      });
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  /** The child process id (e.g. to check in a test that `stop()` ended it). */
  get pid(): number | undefined {
    return this.channel.child.pid;
  }

  /** Registers (or replaces) a client while the server runs. */
  async registerClient(client: LocalClient): Promise<void> {
    checkClient(client);
    await this.channel.request('registerClient', client);
  }

  /**
   * Drives the front channel headless (own cookie jar, no redirects followed) from the client's
   * authorization URL through login and consent, and returns the final redirect to the client's
   * `redirect_uri` (with `code`, `state`, `iss`, or `error=access_denied` when `approve` is false)
   * without requesting it.
   */
  completeAuthorization(
    authorizationUrl: string,
    options: CompleteAuthorizationOptions = {},
  ): Promise<string> {
    return completeAuthorizationFlow(this.issuer, authorizationUrl, options);
  }

  /** Request counters since start or the last `resetStats()`. */
  stats(): Promise<LocalAuthorizationServerStats> {
    return this.channel.request('stats');
  }

  /** Sets every counter back to 0 (scripted responses stay queued). */
  async resetStats(): Promise<void> {
    await this.channel.request('resetStats');
  }

  /**
   * The next `times` (default 1) token-endpoint requests get this response instead of the real
   * one; calls queue up in order. For failure tests: 503, 429, timeouts, non-JSON, invalid_grant.
   */
  async scriptTokenResponse(response: ScriptedTokenResponse): Promise<void> {
    await this.channel.request('scriptTokenResponse', scripted(response));
  }

  /** Drops the scripted token responses not yet played. */
  async clearScriptedTokenResponses(): Promise<void> {
    await this.channel.request('clearScriptedTokenResponses');
  }

  /**
   * Approves (or with `approve: false` denies) a pending device authorization, as the user
   * would after entering `userCode` at the verification URI (RFC 8628 §3.3): the next poll of
   * the device code gets tokens for `user` (or `access_denied`).
   */
  async approveDevice(
    userCode: string,
    options: ApproveDeviceOptions = {},
  ): Promise<void> {
    await this.channel.request('approveDevice', { userCode, ...options });
  }

  /**
   * Expires every access token issued so far, app tokens (client credentials) included; refresh
   * tokens stay valid. Returns how many.
   */
  expireAccessTokens(): Promise<number> {
    return this.channel.request('expireAccessTokens');
  }

  /** Stops the server and its process; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { child } = this.channel;
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) {
      await this.channel
        .request('stop', undefined, STOP_TIMEOUT_MS)
        .catch(() => undefined);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.channel.exited;
    clearTimeout(timer);
  }
}

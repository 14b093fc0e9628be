import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BlueprintOptions, Preset, jira, oidc, presets } from 'nest-dance';

/** Where the demo keeps users and tokens, as parsed from `DATABASE_URL`. */
export type DemoDatabase =
  | { type: 'better-sqlite3'; database: string }
  | { type: 'postgres' | 'mysql' | 'mariadb'; url: string };

/** The `local` provider: a built-in LocalAuthorizationServer, one already running, or none. */
export type DemoLocalProvider =
  | { mode: 'builtin'; port: number }
  | { mode: 'external'; issuer: string; clientId: string; clientSecret: string }
  | { mode: 'off' };

/** A provider configured from the environment, besides `local`. */
export interface DemoProvider {
  /** What the page shows (e.g. `GitHub`). */
  title: string;
  /** The blueprint, built and validated at start-up. */
  blueprint: BlueprintOptions;
}

/** The demo's whole configuration, parsed and validated from environment variables. */
export interface DemoConfig {
  /** The Nest platform (`PLATFORM`: `express`, the default, or `fastify`). */
  platform: 'express' | 'fastify';
  /** The HTTP port (`PORT`, default 3000). */
  port: number;
  /** The interface to listen on (`HOST`, default 127.0.0.1). */
  host: string;
  /** The origin browsers reach the demo at (`PUBLIC_URL`, default `http://localhost:$PORT`). */
  publicUrl: string;
  /** The database (`DATABASE_URL`, default `sqlite:./data/demo.sqlite`). */
  database: DemoDatabase;
  /** Prefix of every table (`DATABASE_TABLE_PREFIX`, default none). */
  tablePrefix: string;
  /** Redis for the cache, the sessions and the refresh lock (`REDIS_URL`, default none). */
  redisUrl?: string;
  /** Prefix of every Redis key (`REDIS_PREFIX`, default `nest-dance-demo:`). */
  redisPrefix: string;
  /**
   * Which lock serialises refreshes across processes (`REFRESH_LOCK`): `redis` (the default
   * with `REDIS_URL`) or `database` (the default without; a lock table in `DATABASE_URL`).
   */
  refreshLock: 'redis' | 'database';
  /** How long a crashed refresher's lock blocks others (`REFRESH_LOCK_TTL_MS`, default 30000). */
  refreshLockTtlMs: number;
  /**
   * How long a token request may take (`TOKEN_ENDPOINT_TIMEOUT_MS`, default the library's 10000);
   * it must stay under `refreshLockTtlMs`.
   */
  tokenEndpointTimeoutMs?: number;
  /**
   * Refresh tokens in the background every this many ms (`REFRESH_BACKGROUND_EVERY_MS`,
   * default off), those expiring within `REFRESH_BACKGROUND_WITHIN_MS` (default 300000).
   */
  refreshBackground?: { every: number; within: number };
  /** Signs the session cookie (`SESSION_SECRET`, default random per process). */
  sessionSecret: string;
  /** Whether `sessionSecret` was generated because `SESSION_SECRET` is unset. */
  sessionSecretGenerated: boolean;
  /** AES-256-GCM keys for tokens at rest (`TOKEN_ENCRYPTION_KEYS`, base64, 32 bytes each), newest first. */
  tokenEncryptionKeys: string[];
  /** The `local` provider (`LOCAL_AUTH_SERVER`, `LOCAL_AUTH_PORT`). */
  local: DemoLocalProvider;
  /** Providers enabled by `<NAME>_CLIENT_ID`, by `OIDC_*` and by `JIRA_CONSUMER_KEY`. */
  providers: DemoProvider[];
  /** Things worth a warning at start-up (never a secret). */
  warnings: string[];
}

/** The environment, as `process.env` or a plain object (tests pass their own). */
export type DemoEnv = Readonly<Record<string, string | undefined>>;

/** The environment is not usable; the message lists every problem with its fix. */
export class DemoConfigError extends Error {
  override name = 'DemoConfigError';

  constructor(readonly problems: string[]) {
    super(
      `The demo cannot start: fix these environment variables (see docs/demo.md):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/demo.sqlite';
const DEFAULT_LOCAL_CLIENT = {
  clientId: 'local-client',
  clientSecret: 'local-secret',
};
const CLIENT_ID_VARIABLE = /^([A-Z][A-Z0-9]*)_CLIENT_ID$/;
/** Prefixes of `*_CLIENT_ID` variables that are not presets. */
const RESERVED_PREFIXES = new Set(['OIDC', 'LOCAL']);
/** Presets over OAuth 1.0a, which have a consumer key instead of a client id. */
const OAUTH1_PRESETS: Record<string, string> = {
  jira: 'JIRA_CONSUMER_KEY and JIRA_RSA_KEY_FILE (with JIRA_BASE_URL or JIRA_HOSTNAME)',
};

/**
 * Parses and validates the demo's environment variables; throws `DemoConfigError` listing
 * every problem at once. `cwd` resolves the relative SQLite path.
 */
export function loadDemoConfig(
  env: DemoEnv,
  cwd: string = process.cwd(),
): DemoConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const platform = text('PLATFORM') ?? 'express';
  if (platform !== 'express' && platform !== 'fastify') {
    problems.push(
      `PLATFORM=${JSON.stringify(platform)}: use 'express' (the default) or 'fastify'.`,
    );
  }
  const port = parsePort(text('PORT'), 'PORT', 3000, problems);
  const host = text('HOST') ?? '127.0.0.1';
  const publicUrl = parsePublicUrl(
    text('PUBLIC_URL') ?? `http://localhost:${port}`,
    problems,
  );
  const database = parseDatabaseUrl(
    text('DATABASE_URL') ?? DEFAULT_DATABASE_URL,
    cwd,
    problems,
  );
  const tablePrefix = text('DATABASE_TABLE_PREFIX') ?? '';
  if (!/^[a-z0-9_]{0,30}$/i.test(tablePrefix)) {
    problems.push(
      `DATABASE_TABLE_PREFIX=${JSON.stringify(tablePrefix)}: use up to 30 letters, digits or '_' (e.g. demo_).`,
    );
  }
  const redisUrl = parseRedisUrl(text('REDIS_URL'), problems);
  const redisPrefix = text('REDIS_PREFIX') ?? 'nest-dance-demo:';
  const refreshLock = text('REFRESH_LOCK') ?? (redisUrl ? 'redis' : 'database');
  if (refreshLock !== 'redis' && refreshLock !== 'database') {
    problems.push(
      `REFRESH_LOCK=${JSON.stringify(refreshLock)}: use 'redis' or 'database'.`,
    );
  } else if (refreshLock === 'redis' && !redisUrl) {
    problems.push(
      'REFRESH_LOCK=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379), or use REFRESH_LOCK=database.',
    );
  }
  const refreshLockTtlText = text('REFRESH_LOCK_TTL_MS') ?? '30000';
  const refreshLockTtlMs = Number(refreshLockTtlText);
  if (!/^\d+$/.test(refreshLockTtlText) || refreshLockTtlMs < 100) {
    problems.push(
      `REFRESH_LOCK_TTL_MS=${JSON.stringify(refreshLockTtlText)}: use a whole number of milliseconds, at least 100.`,
    );
  }

  const timeoutText = text('TOKEN_ENDPOINT_TIMEOUT_MS');
  const tokenEndpointTimeoutMs =
    timeoutText === undefined ? undefined : Number(timeoutText);
  if (
    timeoutText !== undefined &&
    (!/^\d+$/.test(timeoutText) || tokenEndpointTimeoutMs! < 100)
  ) {
    problems.push(
      `TOKEN_ENDPOINT_TIMEOUT_MS=${JSON.stringify(timeoutText)}: use a whole number of milliseconds, at least 100.`,
    );
  }

  const backgroundEveryText = text('REFRESH_BACKGROUND_EVERY_MS');
  const backgroundWithinText = text('REFRESH_BACKGROUND_WITHIN_MS') ?? '300000';
  let refreshBackground: DemoConfig['refreshBackground'];
  if (backgroundEveryText !== undefined) {
    const every = Number(backgroundEveryText);
    const within = Number(backgroundWithinText);
    if (!/^\d+$/.test(backgroundEveryText) || every < 50) {
      problems.push(
        `REFRESH_BACKGROUND_EVERY_MS=${JSON.stringify(backgroundEveryText)}: use a whole number of milliseconds, at least 50, or leave it unset.`,
      );
    } else if (!/^\d+$/.test(backgroundWithinText) || within < 1000) {
      problems.push(
        `REFRESH_BACKGROUND_WITHIN_MS=${JSON.stringify(backgroundWithinText)}: use a whole number of milliseconds, at least 1000.`,
      );
    } else {
      refreshBackground = { every, within };
    }
  }

  const secret = text('SESSION_SECRET');
  if (secret !== undefined && secret.length < 32) {
    problems.push(
      `SESSION_SECRET is ${secret.length} characters long: use at least 32 (e.g. the output of ` +
        `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))").`,
    );
  }
  if (secret === undefined) {
    warnings.push(
      'SESSION_SECRET is unset: this process signs session cookies with a random secret, so ' +
        'sign-ins end when it restarts' +
        (redisUrl
          ? ' and other processes sharing REDIS_URL reject its cookies'
          : '') +
        '. Set SESSION_SECRET (32+ characters) to keep them.',
    );
  }

  const tokenEncryptionKeys = parseEncryptionKeys(
    text('TOKEN_ENCRYPTION_KEYS'),
    problems,
  );
  const local = parseLocal(env, text, problems);
  const providers = [
    ...presetProviders(env, text, problems),
    ...oidcProvider(text, problems),
    ...jiraProvider(text, cwd, problems),
  ];

  if (problems.length) throw new DemoConfigError(problems);
  return {
    platform: platform as DemoConfig['platform'],
    port,
    host,
    publicUrl,
    database: database!,
    tablePrefix,
    redisUrl,
    redisPrefix,
    refreshLock: refreshLock as DemoConfig['refreshLock'],
    refreshLockTtlMs,
    tokenEndpointTimeoutMs,
    refreshBackground,
    sessionSecret: secret ?? randomBytes(32).toString('base64url'),
    sessionSecretGenerated: secret === undefined,
    tokenEncryptionKeys,
    local,
    providers,
    warnings,
  };
}

function parsePort(
  value: string | undefined,
  name: string,
  fallback: number,
  problems: string[],
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  const min = allowZero ? 0 : 1;
  if (!/^\d+$/.test(value) || port < min || port > 65535) {
    problems.push(
      `${name}=${JSON.stringify(value)}: use a port number from ${min} to 65535.`,
    );
    return fallback;
  }
  return port;
}

function parsePublicUrl(value: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      `PUBLIC_URL=${JSON.stringify(value)} is not a URL: use the origin browsers reach the demo at, e.g. http://localhost:3000.`,
    );
    return value;
  }
  if (
    !/^https?:$/.test(url.protocol) ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    problems.push(
      `PUBLIC_URL=${JSON.stringify(value)}: use an http(s) origin without path, query or credentials, e.g. https://demo.example.com.`,
    );
  }
  return url.origin;
}

function parseDatabaseUrl(
  value: string,
  cwd: string,
  problems: string[],
): DemoDatabase | undefined {
  const sqlite = /^sqlite:(.+)$/i.exec(value);
  if (sqlite) {
    const path = sqlite[1].replace(/^\/\/(?=\/)/, '');
    if (path === ':memory:') return { type: 'better-sqlite3', database: path };
    return {
      type: 'better-sqlite3',
      database: isAbsolute(path) ? path : resolve(cwd, path),
    };
  }
  const server = /^(postgres|postgresql|mysql|mariadb):\/\//i.exec(value);
  if (server) {
    try {
      new URL(value);
    } catch {
      problems.push(
        `DATABASE_URL is not a valid URL: use e.g. postgres://user:password@127.0.0.1:5432/demo.`,
      );
      return undefined;
    }
    const scheme = server[1].toLowerCase();
    const type =
      scheme === 'postgresql' ? 'postgres' : (scheme as DemoDatabase['type']);
    return { type, url: value } as DemoDatabase;
  }
  problems.push(
    `DATABASE_URL must start with sqlite:, postgres://, mysql:// or mariadb:// ` +
      `(e.g. ${DEFAULT_DATABASE_URL} or postgres://postgres@127.0.0.1:5432/demo).`,
  );
  return undefined;
}

function parseRedisUrl(
  value: string | undefined,
  problems: string[],
): string | undefined {
  if (value === undefined) return undefined;
  let ok = false;
  try {
    ok = /^rediss?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) {
    problems.push(
      'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.',
    );
  }
  return value;
}

function parseEncryptionKeys(
  value: string | undefined,
  problems: string[],
): string[] {
  if (value === undefined) return [];
  const keys: string[] = [];
  value.split(',').forEach((raw, index) => {
    const encoded = raw.trim();
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)
      ? Buffer.from(
          encoded,
          encoded.includes('-') || encoded.includes('_')
            ? 'base64url'
            : 'base64',
        )
      : undefined;
    if (!key || key.length !== 32) {
      problems.push(
        `TOKEN_ENCRYPTION_KEYS: key #${index + 1} is not 32 bytes of base64: make each key with ` +
          `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))" and separate keys with commas.`,
      );
      return;
    }
    keys.push(encoded);
  });
  return keys;
}

function parseLocal(
  env: DemoEnv,
  text: (name: string) => string | undefined,
  problems: string[],
): DemoLocalProvider {
  const setting = text('LOCAL_AUTH_SERVER') ?? 'builtin';
  if (setting === 'builtin') {
    return {
      mode: 'builtin',
      port: parsePort(
        text('LOCAL_AUTH_PORT'),
        'LOCAL_AUTH_PORT',
        0,
        problems,
        true,
      ),
    };
  }
  if (setting === 'off') return { mode: 'off' };
  let url: URL | undefined;
  try {
    url = new URL(setting);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    problems.push(
      `LOCAL_AUTH_SERVER=${JSON.stringify(setting)}: use builtin (default), off, or the issuer URL of a running LocalAuthorizationServer (e.g. http://127.0.0.1:4000).`,
    );
    return { mode: 'off' };
  }
  return {
    mode: 'external',
    issuer: setting.replace(/\/+$/, ''),
    clientId: env.LOCAL_CLIENT_ID?.trim() || DEFAULT_LOCAL_CLIENT.clientId,
    clientSecret:
      env.LOCAL_CLIENT_SECRET?.trim() || DEFAULT_LOCAL_CLIENT.clientSecret,
  };
}

/** `GITHUB_CLIENT_ID` enables `presets.github`, with `GITHUB_CLIENT_SECRET`, `GITHUB_SCOPE`, and one variable per preset option. */
function presetProviders(
  env: DemoEnv,
  text: (name: string) => string | undefined,
  problems: string[],
): DemoProvider[] {
  const registry = presets as unknown as Record<string, Preset>;
  const providers: DemoProvider[] = [];
  for (const variable of Object.keys(env).sort()) {
    const match = CLIENT_ID_VARIABLE.exec(variable);
    if (!match || RESERVED_PREFIXES.has(match[1])) continue;
    const clientId = text(variable);
    const prefix = match[1];
    if (!clientId) {
      problems.push(
        `${variable} is set but empty: give it the client id of your ${prefix.toLowerCase()} app ` +
          `(from the provider's console), or unset it to leave ${prefix.toLowerCase()} out.`,
      );
      continue;
    }
    const name = prefix.toLowerCase();
    const preset = Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (Object.hasOwn(OAUTH1_PRESETS, name)) {
      problems.push(
        `${variable}: ${name} uses OAuth 1.0a, which has a consumer key, not a client id: ` +
          `set ${OAUTH1_PRESETS[name]} instead.`,
      );
      continue;
    }
    if (!preset) {
      problems.push(
        `${variable} names no provider preset '${name}': use one of ${Object.keys(registry).join(', ')} ` +
          `(or OIDC_ISSUER/OIDC_CLIENT_ID for any OpenID Connect provider).`,
      );
      continue;
    }
    const options: Record<string, unknown> = {
      clientId,
      clientSecret: text(`${prefix}_CLIENT_SECRET`),
    };
    const scope = text(`${prefix}_SCOPE`);
    if (scope) options.scope = scope.split(/[\s,]+/).filter(Boolean);
    for (const option of Object.keys(preset.info.options)) {
      const value = text(`${prefix}_${constantCase(option)}`);
      if (value === undefined) continue;
      options[option] =
        value === 'true' ? true : value === 'false' ? false : value;
    }
    try {
      providers.push({
        title: preset.info.title,
        blueprint: preset(options as unknown as Parameters<Preset>[0]),
      });
    } catch (error) {
      const variables = Object.keys(preset.info.options)
        .map((option) => `${prefix}_${constantCase(option)}`)
        .join(', ');
      problems.push(
        `${variable} enables ${preset.info.title}, but ${(error as Error).message}` +
          (variables ? ` Its options are set with ${variables}.` : ''),
      );
    }
  }
  return providers;
}

function oidcProvider(
  text: (name: string) => string | undefined,
  problems: string[],
): DemoProvider[] {
  const issuer = text('OIDC_ISSUER');
  const clientId = text('OIDC_CLIENT_ID');
  if (!issuer && !clientId) return [];
  if (!issuer || !clientId) {
    problems.push(
      `OIDC_ISSUER and OIDC_CLIENT_ID go together: set both (and OIDC_CLIENT_SECRET for a confidential client), or neither.`,
    );
    return [];
  }
  let host: string;
  try {
    const url = new URL(issuer);
    if (!/^https?:$/.test(url.protocol)) throw new Error('not http(s)');
    host = url.host;
  } catch {
    problems.push(
      `OIDC_ISSUER=${JSON.stringify(issuer)}: use the issuer's https URL, e.g. https://accounts.example.com.`,
    );
    return [];
  }
  return [
    {
      title: `OpenID Connect (${host})`,
      blueprint: oidc({
        name: 'oidc',
        issuer,
        clientId,
        clientSecret: text('OIDC_CLIENT_SECRET'),
      }),
    },
  ];
}

/**
 * `JIRA_CONSUMER_KEY` enables `jira` (OAuth 1.0a, RSA-SHA1) with the PEM private key read from
 * `JIRA_RSA_KEY_FILE` (relative to `cwd`) and the server from `JIRA_BASE_URL` or `JIRA_HOSTNAME`.
 */
function jiraProvider(
  text: (name: string) => string | undefined,
  cwd: string,
  problems: string[],
): DemoProvider[] {
  const consumerKey = text('JIRA_CONSUMER_KEY');
  const keyFile = text('JIRA_RSA_KEY_FILE');
  if (!consumerKey && !keyFile) return [];
  if (!consumerKey || !keyFile) {
    problems.push(
      'JIRA_CONSUMER_KEY and JIRA_RSA_KEY_FILE go together: set both (the consumer key of the ' +
        'Jira application link and the path of the PEM private key whose public key is in it), or neither.',
    );
    return [];
  }
  const path = isAbsolute(keyFile) ? keyFile : resolve(cwd, keyFile);
  let rsaPrivateKey: string;
  try {
    rsaPrivateKey = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(
      `JIRA_RSA_KEY_FILE=${JSON.stringify(keyFile)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ` +
        'give the path of the PEM private key, e.g. made with openssl genrsa -out jira_privatekey.pem 2048.',
    );
    return [];
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(rsaPrivateKey)) {
    problems.push(
      `JIRA_RSA_KEY_FILE=${JSON.stringify(keyFile)} holds no PEM private key: give the file that starts with ` +
        "'-----BEGIN PRIVATE KEY-----' (or '-----BEGIN RSA PRIVATE KEY-----').",
    );
    return [];
  }
  try {
    return [
      {
        title: jira.info.title,
        blueprint: jira({
          consumerKey,
          rsaPrivateKey,
          baseUrl: text('JIRA_BASE_URL'),
          hostname: text('JIRA_HOSTNAME'),
        }),
      },
    ];
  } catch (error) {
    problems.push(
      `JIRA_CONSUMER_KEY enables ${jira.info.title}, but ${(error as Error).message} ` +
        'Set JIRA_BASE_URL (e.g. https://jira.example.com) or JIRA_HOSTNAME.',
    );
    return [];
  }
}

/** `baseUrl` → `BASE_URL`. */
function constantCase(option: string): string {
  return option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

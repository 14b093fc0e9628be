import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A demo running in a child process (see `startDemoProcess`). */
export interface DemoProcess {
  /** Its public URL (`PUBLIC_URL`). */
  url: string;
  /** The `local` provider's issuer, if any. */
  localIssuer?: string;
  /** The child's process id. */
  pid: number;
  /** What it printed so far (stdout and stderr, the last 16 KB). */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/** Options of `startDemoProcess`. */
export interface DemoProcessOptions {
  /** The built entry point (default: the `nest build demo` output). */
  entry?: string;
  /** How long to wait for it to be ready (default 30 s). */
  timeoutMs?: number;
}

const OUTPUT_TAIL = 16 * 1024;

/** The built demo's entry point, whether this file runs from the sources or from `dist`. */
export function builtDemoEntry(): string {
  const beside = join(__dirname, 'main.js');
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '../../..', 'dist/apps/demo/apps/demo/src/main.js');
}

/**
 * Starts the built demo (`npm run build` or `npx nest build demo` first) in a child process
 * with exactly `env` (plus `PATH`): nothing else leaks in from this process's environment.
 * Resolves once it listens. For tests that need several demo processes sharing a database.
 */
export async function startDemoProcess(
  env: Readonly<Record<string, string>>,
  options: DemoProcessOptions = {},
): Promise<DemoProcess> {
  const entry = options.entry ?? builtDemoEntry();
  if (!existsSync(entry)) {
    throw new Error(
      `The demo is not built (${entry} is missing): run npx nest build demo first.`,
    );
  }
  const child = fork(entry, [], {
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = stopper(child, exited);

  const ready = await new Promise<{ url: string; localIssuer?: string }>(
    (resolveReady, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `The demo process did not start within ${options.timeoutMs ?? 30_000} ms:\n${output}`,
          ),
        );
      }, options.timeoutMs ?? 30_000);
      child.on(
        'message',
        (message: { type?: string; url?: string; localIssuer?: string }) => {
          if (message?.type !== 'ready' || !message.url) return;
          clearTimeout(timer);
          resolveReady({ url: message.url, localIssuer: message.localIssuer });
        },
      );
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `The demo process exited (${signal ?? `code ${code}`}) before it was ready:\n${output}`,
          ),
        );
      });
    },
  ).catch(async (error) => {
    await stop();
    throw error;
  });
  return {
    ...ready,
    pid: child.pid!,
    output: () => output,
    stop,
  };
}

function stopper(child: ChildProcess, exited: Promise<void>) {
  let stopping: Promise<void> | undefined;
  return (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

import { ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** A compiled bench entry point (`bench/<name>.ts`), beside this file once compiled. */
export function entryPoint(name: string): string {
  return join(__dirname, `${name}.js`);
}

/** Options of a bench child: node flags and a time limit for each request. */
export interface ChildOptions {
  execArgv?: string[];
  timeoutMs?: number;
  /**
   * A program that runs node (e.g. `valgrind`, with `execArgv` ending in `process.execPath`);
   * node itself by default.
   */
  execPath?: string;
  /** How long the child may take to say it is ready (default 60 s). */
  startTimeoutMs?: number;
}

/**
 * A bench process (a server, a load generator or a worker) driven over IPC: it sends
 * `{ ready }` once started, then answers each request with `{ reply }` or `{ error }`.
 */
export class BenchChild<Ready = unknown> {
  private queue: Array<{
    resolve(value: unknown): void;
    reject(error: Error): void;
  }> = [];
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** What the child said when it was ready (e.g. its URL). */
    readonly ready: Ready,
    private readonly timeoutMs: number,
  ) {
    child.on('message', (message: { reply?: unknown; error?: string }) => {
      const pending = this.queue.shift();
      if (!pending) return;
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.reply);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      for (const pending of this.queue.splice(0))
        pending.reject(new Error(`bench child exited (${signal ?? code})`));
    });
  }

  /** Forks `entry` with `args` (JSON in argv) and waits for its ready message. */
  static async start<Ready>(
    entry: string,
    args: unknown,
    options: ChildOptions = {},
  ): Promise<BenchChild<Ready>> {
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    const child = fork(entryPoint(entry), [JSON.stringify(args)], {
      execPath: options.execPath,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`${entry} did not start within ${startTimeoutMs / 1000} s`),
        );
      }, startTimeoutMs);
      child.once('message', (message: { ready?: Ready; error?: string }) => {
        clearTimeout(timer);
        if (message.error !== undefined) reject(new Error(message.error));
        else resolve(message.ready as Ready);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited (code ${code}) before it was ready`));
      });
    });
    return new BenchChild(child, ready, options.timeoutMs ?? 120_000);
  }

  /** The child's process id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Sends one request and waits for its answer (requests are answered in order). */
  request<T>(message: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('bench child: no answer in time')),
        this.timeoutMs,
      );
      this.queue.push({
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.send(message as object);
    });
  }

  /**
   * Runs `during` with the child under V8's CPU profiler (what `node --cpu-prof` uses, here for
   * that window only) and writes the profile into `dir`.
   */
  async profile<T>(dir: string, during: () => Promise<T>): Promise<T> {
    await this.request({ profile: 'start' });
    try {
      return await during();
    } finally {
      await this.request({ profile: 'stop', dir });
    }
  }

  /** Asks the child to exit cleanly (so `--cpu-prof` writes its profile), then kills it if needed. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ stop: true });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * The child side: parses argv, runs `start`, reports ready, then answers each request with
 * `handle` until the parent says stop (then `close` and a clean exit).
 */
export function serveChild<Args, Ready>(
  start: (args: Args) => Promise<{
    ready: Ready;
    handle(message: unknown): Promise<unknown>;
    close?(): Promise<void>;
  }>,
): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  // An orchestrator that dies takes its children with it.
  process.once('disconnect', () => process.exit(1));
  start(args).then(
    (served) => {
      let chain = Promise.resolve();
      process.on('message', (message: { stop?: boolean }) => {
        chain = chain.then(async () => {
          if (message.stop) {
            await served.close?.().catch(() => undefined);
            process.exit(0);
          }
          try {
            const profiling = (message as { profile?: string }).profile;
            const reply = profiling
              ? await profiler(profiling, (message as { dir?: string }).dir)
              : await served.handle(message);
            process.send!({ reply });
          } catch (error) {
            process.send!({ error: (error as Error).stack ?? String(error) });
          }
        });
      });
      process.send!({ ready: served.ready });
    },
    (error: Error) => {
      process.send!({ error: error.stack ?? String(error) });
      process.exit(1);
    },
  );
}

let session: Session | undefined;

/** Starts V8's CPU profiler, or stops it and writes `dir/<pid>.cpuprofile`. */
async function profiler(command: string, dir?: string): Promise<null> {
  if (command === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  } else if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(
      join(dir!, `${process.pid}.cpuprofile`),
      JSON.stringify(profile),
    );
    session.disconnect();
    session = undefined;
  }
  return null;
}

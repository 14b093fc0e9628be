import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { APP_TOKEN_OWNER } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { deleteRedisKeys } from '../support/demo-cleanup';
import { ensureDemoBuilt } from '../support/demo-build';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CHILD = join(__dirname, 'support', 'app-token.child.mjs');

type Reply = { ready?: true; tokens?: string[]; api?: number; error?: string };

/** One app process (see support/app-token.child.mjs) and its next message. */
class AppProcess {
  private readonly child: ChildProcess;
  private readonly replies: Reply[] = [];
  private waiting?: (reply: Reply) => void;
  output = '';

  constructor(env: Record<string, string>) {
    this.child = fork(CHILD, [], {
      env: { PATH: process.env.PATH ?? '', ...env },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => (this.output += chunk.toString('utf8'));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (reply: Reply) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(reply);
      } else this.replies.push(reply);
    });
  }

  next(): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  send(message: object): void {
    this.child.send(message);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ stop: true });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * App tokens across processes (issue 14): 200 concurrent callers over three processes sharing
 * Redis (tokens and RedisRefreshLock) make one client credentials request, and one again when
 * the stored token becomes due.
 */
describe('App tokens across three processes (Redis storage and lock)', () => {
  const prefix = `nd-app-${process.pid}-${Date.now().toString(36)}:`;
  let server: LocalAuthorizationServer;
  let apps: AppProcess[] = [];

  beforeAll(async () => {
    await ensureDemoBuilt();
    server = await LocalAuthorizationServer.start();
    const env = {
      ISSUER: server.issuer,
      AUTHORIZATION_URL: server.endpoints.authorization,
      TOKEN_URL: server.endpoints.token,
      CLIENT_ID: server.clientId,
      CLIENT_SECRET: server.clientSecret!,
      REDIS_URL,
      PREFIX: prefix,
    };
    apps = [new AppProcess(env), new AppProcess(env), new AppProcess(env)];
    for (const app of apps) {
      const ready = await app.next();
      if (!ready.ready) throw new Error(`${ready.error}\n${app.output}`);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await server?.stop();
    await deleteRedisKeys(REDIS_URL, prefix);
  });

  async function round(): Promise<Reply[]> {
    const split = [67, 67, 66];
    apps.forEach((app, i) => app.send({ go: split[i] }));
    const replies = await Promise.all(apps.map((app) => app.next()));
    for (const reply of replies) expect(reply.error).toBeUndefined();
    return replies;
  }

  it('200 concurrent callers over 3 processes: 1 token request, one token everywhere', async () => {
    await server.resetStats();
    const replies = await round();
    const tokens = new Set(replies.flatMap((reply) => reply.tokens!));
    expect(tokens.size).toBe(1);
    expect(replies.map((reply) => reply.api)).toEqual([200, 200, 200]);
    expect((await server.stats()).tokenRequests.client_credentials).toBe(1);
  });

  it('a due app token: renewed once for all three processes', async () => {
    const redis = await createClient({ url: REDIS_URL }).connect();
    try {
      const key = `${prefix}token:local|${APP_TOKEN_OWNER}|`;
      const stored = JSON.parse((await redis.get(key))!);
      await redis.set(
        key,
        JSON.stringify({
          ...stored,
          expires_at: Math.floor(Date.now() / 1000) + 20,
        }),
      );
      await server.resetStats();
      const replies = await round();
      const tokens = new Set(replies.flatMap((reply) => reply.tokens!));
      expect(tokens.size).toBe(1);
      expect(tokens.has(stored.access_token)).toBe(false);
      expect((await server.stats()).tokenRequests.client_credentials).toBe(1);
    } finally {
      await redis.quit();
    }
  });
});

import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import {
  InvalidOptionsError,
  OAuthProfile,
  OAuthUserContext,
  oidc,
  readLimitedBody,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { Test } from '@nestjs/testing';
import { localBlueprint } from '../support/dance-app';
import { AllLevelsLogger } from './support/log-capture';
import { SecureApp, dance, signIn, startSecureApp } from './support/secure-app';

/** How much a hostile endpoint offers: far more than any real answer, small enough for CI. */
const HUGE_BYTES = 48 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** What one request to the stand-in saw: how much it wrote, and whether the client hung up early. */
interface Delivery {
  path: string;
  written: number;
  abandoned: boolean;
}

/**
 * A stand-in for a hostile provider endpoint: every path answers 200 with a JSON document of
 * HUGE_BYTES, streamed without Content-Length, counting what the client really read.
 */
class HugeAnswerServer {
  readonly deliveries: Delivery[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<HugeAnswerServer> {
    const ref: { self?: HugeAnswerServer } = {};
    const server = createServer((request, response) =>
      ref.self!.answer(request, response),
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    ref.self = new HugeAnswerServer(server);
    return ref.self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Waits until every delivery ended (finished or abandoned), then returns them. */
  async settled(): Promise<Delivery[]> {
    for (let i = 0; i < 100 && this.open > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return this.deliveries;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private open = 0;

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/';
    const delivery: Delivery = { path, written: 0, abandoned: false };
    this.deliveries.push(delivery);
    this.open++;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    const head = Buffer.from(
      JSON.stringify({
        issuer: this.url,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        sub: 'huge-user',
      }).replace(/}$/, ',"padding":"'),
    );
    let done = false;
    const finish = (abandoned: boolean) => {
      if (done) return;
      done = true;
      delivery.abandoned = abandoned;
      this.open--;
    };
    response.on('close', () => finish(!response.writableFinished));
    const pump = () => {
      while (delivery.written < HUGE_BYTES) {
        const chunk = delivery.written === 0 ? head : CHUNK;
        delivery.written += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end('"}');
    };
    pump();
  }
}

/**
 * issue 13 #14: every body the library reads is capped. The user-info answer read during the
 * dance had no limit (a 300 MB answer took 1 GB of heap); `blueprint.fetchJson()` read any
 * size; the demo's `limitedText` read the whole body before checking its size. Each now
 * stops reading (and hangs up) as soon as the limit is passed. Token, request token, access
 * token, revocation and discovery answers go through the same limited reader.
 */
describe('issue 13 #14: the library never reads an unbounded body', () => {
  let server: LocalAuthorizationServer;
  let huge: HugeAnswerServer;
  let app: SecureApp | undefined;
  let logs: AllLevelsLogger;

  beforeAll(async () => {
    server = await LocalAuthorizationServer.start();
    huge = await HugeAnswerServer.start();
  });
  afterAll(async () => {
    await huge?.stop();
    await server?.stop();
  });
  beforeEach(() => {
    logs = new AllLevelsLogger();
    huge.deliveries.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('the user-info answer during the dance: read up to its cap, the dance completes without a profile', async () => {
    const profiles: Array<OAuthProfile | undefined> = [];
    app = await startSecureApp(server, {
      logger: logs,
      blueprints: [
        localBlueprint(server, {
          scope: ['offline_access'],
          userInfoUrl: `${huge.url}/userinfo`,
          profile: (info) => ({ id: String(info.sub), raw: info }),
        }),
      ],
      hooks: { authorized: (event) => void profiles.push(event.profile) },
    });
    const browser = app.browser();
    await signIn(browser, 'alice');
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    expect((await dance(browser, server)).status).toBe(302);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(
      HUGE_BYTES / 2,
    );
    expect(profiles).toEqual([undefined]);
    const [delivery] = await huge.settled();
    expect(delivery.path).toBe('/userinfo');
    expect(delivery.abandoned).toBe(true);
    expect(delivery.written).toBeLessThan(HUGE_BYTES / 4);
    expect(logs.text()).toMatch(/user profile.*larger than \d+ bytes/);
    expect(
      (await browser.get('/me/connection').expect(200)).body.connected,
    ).toBe(true);
  });

  it('blueprint.fetchJson(): refused past its cap (default 10 MiB, maxResponseBytes to change it)', async () => {
    app = await startSecureApp(server, {
      blueprints: [localBlueprint(server, { baseUrl: `${huge.url}/api/` })],
    });
    const browser = app.browser();
    await signIn(browser, 'bob');
    expect((await dance(browser, server)).status).toBe(302);
    const local = app.blueprint();
    const context = app.app.get(OAuthUserContext);
    await expect(
      context.runAs({ id: 'bob' }, () => local.fetchJson('everything')),
    ).rejects.toThrow(
      /'local' API answer is larger than 10485760 bytes: pass \{ maxResponseBytes \}/,
    );
    await expect(
      context.runAs({ id: 'bob' }, () =>
        local.fetchJson('everything', { maxResponseBytes: 1024 }),
      ),
    ).rejects.toThrow(/larger than 1024 bytes/);
    const deliveries = await huge.settled();
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery.abandoned).toBe(true);
      expect(delivery.written).toBeLessThan(HUGE_BYTES / 2);
    }
  });

  it('revocation at disconnect: the answer is not read', async () => {
    app = await startSecureApp(server, {
      blueprints: [
        localBlueprint(server, { revocationUrl: `${huge.url}/revoke` }),
      ],
    });
    const browser = app.browser();
    await signIn(browser, 'carol');
    expect((await dance(browser, server)).status).toBe(302);
    const started = Date.now();
    await browser.post('/me/disconnect').expect(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [delivery] = await huge.settled();
    expect(delivery.path).toBe('/revoke');
    expect(delivery.written).toBeLessThan(HUGE_BYTES / 2);
    expect(
      (await browser.get('/me/connection').expect(200)).body.connected,
    ).toBe(false);
  });

  it('OpenID Connect discovery at start-up: a huge document fails the boot quickly', async () => {
    const started = Date.now();
    const compiling = Test.createTestingModule({
      imports: [
        // The module under test, configured from a hostile issuer.
        (await import('nest-dance')).OAuthConsumerModule.forRoot({
          publicUrl: 'http://127.0.0.1:3000',
          blueprints: [oidc({ name: 'huge', issuer: huge.url, clientId: 'c' })],
        }),
      ],
    })
      .compile()
      .then((moduleRef) => moduleRef.init());
    await expect(compiling).rejects.toThrow(InvalidOptionsError);
    expect(Date.now() - started).toBeLessThan(5_000);
    const [delivery] = await huge.settled();
    expect(delivery.path).toBe('/.well-known/openid-configuration');
    expect(delivery.written).toBeLessThan(HUGE_BYTES / 2);
  });

  it("readLimitedBody (the library's reader, which the demo uses for profiles) stops reading as soon as the body passes the limit", async () => {
    const response = await fetch(`${huge.url}/demo-profile`);
    const started = Date.now();
    expect(await readLimitedBody(response, 64 * 1024)).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
    const [delivery] = await huge.settled();
    expect(delivery.abandoned).toBe(true);
    expect(delivery.written).toBeLessThan(HUGE_BYTES / 4);
    const small = new Response('{"ok":true}');
    expect(await readLimitedBody(small, 64 * 1024)).toBe('{"ok":true}');
  });
});

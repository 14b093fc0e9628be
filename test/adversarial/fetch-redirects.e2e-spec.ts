import {
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import { AddressInfo } from 'node:net';
import {
  Blueprint,
  BlueprintOptions,
  MemoryTokenStorage,
  oauth2,
} from 'nest-dance';
import { createUserContext } from '../support/user-context';

/** One request a stand-in received. */
interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Route = (seen: Seen, response: ServerResponse) => void;

/** An HTTP stand-in on 127.0.0.1 that records requests and answers by path (404 otherwise). */
class StandIn {
  readonly seen: Seen[] = [];
  private readonly routes = new Map<string, Route>();
  private server?: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const seen: Seen = {
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        const route = this.routes.get(seen.path.split('?')[0]);
        if (route) return route(seen, response);
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** `path` answers with a redirect to `location`. */
  redirect(path: string, status: number, location: string): void {
    this.routes.set(path, (_seen, response) =>
      response.writeHead(status, { location }).end(),
    );
  }

  /** `path` answers 200 with what it received. */
  echo(path: string): void {
    this.routes.set(path, (seen, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ method: seen.method, body: seen.body })),
    );
  }

  to(path: string): Seen[] {
    return this.seen.filter((s) => s.path.split('?')[0] === path);
  }

  reset(): void {
    this.seen.length = 0;
    this.routes.clear();
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * blueprint.fetch() follows redirects itself: token headers (Authorization and whatever
 * `apiAuthorization` sets, e.g. Shopify's X-Shopify-Access-Token) never go to another origin,
 * same-origin hops keep them, methods change as fetch would change them, and hops are bounded.
 */
describe('Adversarial: blueprint.fetch() and redirects', () => {
  const api = new StandIn();
  const elsewhere = new StandIn();

  beforeAll(() => Promise.all([api.start(), elsewhere.start()]));
  afterAll(() => Promise.all([api.close(), elsewhere.close()]));
  beforeEach(() => {
    api.reset();
    elsewhere.reset();
  });

  const blueprintWith = (extra: Partial<BlueprintOptions> = {}) =>
    new Blueprint(
      oauth2({
        name: 'acme',
        clientId: 'id',
        authorizationUrl: 'https://acme.example/authorize',
        tokenUrl: 'https://acme.example/token',
        baseUrl: api.url('/v1/'),
        ...extra,
      }),
      { storage: new MemoryTokenStorage(), context: createUserContext() },
    );
  const headerToken = () =>
    blueprintWith({
      apiAuthorization: (token) => ({
        'x-acme-access-token': token.access_token,
      }),
    });
  const TOKEN = { access_token: 'secret-at-13-6' };

  /** Every header value another origin received, flattened. */
  const leaked = () =>
    JSON.stringify(elsewhere.seen.map((s) => s.headers)).includes(
      TOKEN.access_token,
    );

  it.each([301, 302, 303, 307, 308])(
    'issue 13 #6: a %i to another origin reaches it without any token header',
    async (status) => {
      api.redirect('/v1/files', status, elsewhere.url('/download'));
      elsewhere.echo('/download');
      for (const blueprint of [blueprintWith(), headerToken()]) {
        const response = await blueprint.fetch('files', {
          token: TOKEN,
          headers: { cookie: 'sid=1', 'proxy-authorization': 'Basic eA==' },
        });
        expect(response.status).toBe(200);
        expect(response.url).toBe(elsewhere.url('/download'));
      }
      expect(elsewhere.to('/download')).toHaveLength(2);
      for (const seen of elsewhere.seen) {
        expect(seen.headers.authorization).toBeUndefined();
        expect(seen.headers['x-acme-access-token']).toBeUndefined();
        expect(seen.headers.cookie).toBeUndefined();
        expect(seen.headers['proxy-authorization']).toBeUndefined();
      }
      expect(leaked()).toBe(false);
      // The API itself got the token both times.
      expect(api.to('/v1/files').map((s) => s.headers.authorization)).toEqual([
        'Bearer secret-at-13-6',
        undefined,
      ]);
      expect(api.to('/v1/files')[1].headers['x-acme-access-token']).toBe(
        TOKEN.access_token,
      );
    },
  );

  it('issue 13 #6: a same-origin redirect keeps the token; a hop away drops it for good, even back on the API', async () => {
    api.redirect('/v1/old', 308, api.url('/v1/new'));
    api.echo('/v1/new');
    const kept = await headerToken().fetch('old', { token: TOKEN });
    expect(kept.status).toBe(200);
    expect(api.to('/v1/new')[0].headers['x-acme-access-token']).toBe(
      TOKEN.access_token,
    );

    api.redirect('/v1/away', 302, elsewhere.url('/bounce'));
    elsewhere.redirect('/bounce', 302, api.url('/v1/back'));
    api.echo('/v1/back');
    const back = await headerToken().fetch('away', { token: TOKEN });
    expect(back.status).toBe(200);
    expect(
      api.to('/v1/back')[0].headers['x-acme-access-token'],
    ).toBeUndefined();
    expect(leaked()).toBe(false);
  });

  it('issue 13 #6: 303 turns any method into GET without a body; 301/302 turn POST into GET; 307/308 keep method and body', async () => {
    const cases: Array<[number, string, string, string]> = [
      [303, 'POST', 'GET', ''],
      [303, 'PUT', 'GET', ''],
      [302, 'POST', 'GET', ''],
      [301, 'POST', 'GET', ''],
      [302, 'PUT', 'PUT', 'payload'],
      [307, 'POST', 'POST', 'payload'],
      [308, 'PUT', 'PUT', 'payload'],
    ];
    for (const [status, method, expectedMethod, expectedBody] of cases) {
      api.reset();
      api.redirect('/v1/submit', status, api.url('/v1/done'));
      api.echo('/v1/done');
      const response = await blueprintWith().fetch('submit', {
        token: TOKEN,
        method,
        body: 'payload',
        headers: { 'content-type': 'text/plain' },
      });
      expect({ status, method, answer: await response.json() }).toEqual({
        status,
        method,
        answer: { method: expectedMethod, body: expectedBody },
      });
      const done = api.to('/v1/done')[0];
      expect(done.headers.authorization).toBe('Bearer secret-at-13-6');
      if (expectedBody === '')
        expect(done.headers['content-type']).toBeUndefined();
    }
  });

  it('issue 13 #6: a redirect loop stops after a bounded number of hops', async () => {
    api.redirect('/v1/loop', 302, api.url('/v1/loop'));
    await expect(
      blueprintWith().fetch('loop', { token: TOKEN }),
    ).rejects.toThrow(/redirected more than 20 times/);
    expect(api.to('/v1/loop').length).toBe(21);
  });

  it("issue 13 #6: redirect: 'manual' hands the 3xx back; 'error' refuses to follow", async () => {
    api.redirect('/v1/moved', 302, elsewhere.url('/x'));
    const manual = await blueprintWith().fetch('moved', {
      token: TOKEN,
      redirect: 'manual',
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(elsewhere.url('/x'));
    await expect(
      blueprintWith().fetch('moved', { token: TOKEN, redirect: 'error' }),
    ).rejects.toThrow(/redirect/);
    expect(elsewhere.seen).toEqual([]);
  });
});

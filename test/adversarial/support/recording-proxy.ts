import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the proxy relayed. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form body, parsed. */
  form: URLSearchParams;
}

/**
 * An HTTP relay on 127.0.0.1 in front of one real endpoint (the token endpoint of the
 * LocalAuthorizationServer), recording what the client sent: the exact parameters of token
 * requests (redirect_uri, code_verifier, client authentication) are visible to the test.
 */
export class RecordingProxy {
  private constructor(
    private readonly server: Server,
    /** The proxy's URL standing for the target URL. */
    readonly url: string,
    /** What was relayed, oldest first. */
    readonly requests: RecordedRequest[],
  ) {}

  /** Relays every request to `target` (an absolute URL; its path replaces the request's). */
  static async start(target: string): Promise<RecordingProxy> {
    const requests: RecordedRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        requests.push({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          form: new URLSearchParams(body.toString('utf8')),
        });
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (name === 'host' || name === 'content-length' || !value) continue;
          headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        fetch(target, {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : body,
        })
          .then(async (answer) => {
            const payload = Buffer.from(await answer.arrayBuffer());
            res.writeHead(answer.status, {
              'content-type':
                answer.headers.get('content-type') ?? 'application/json',
            });
            res.end(payload);
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    return new RecordingProxy(
      server,
      `http://127.0.0.1:${port}/token`,
      requests,
    );
  }

  /** Stops the relay. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

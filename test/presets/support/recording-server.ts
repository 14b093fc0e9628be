import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the local provider stand-in received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form-encoded body, decoded. */
  form: Record<string, string>;
}

/** A canned answer: JSON (an object) or raw text with its content type. */
export type CannedResponse =
  | { status?: number; json: unknown }
  | { status?: number; text: string; contentType: string };

/**
 * A provider stand-in on 127.0.0.1: records every request and answers what a path was given
 * (404 otherwise). Nothing here ever talks to a real provider.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly answers = new Map<string, CannedResponse>();
  private server?: Server;
  private origin = '';

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.requests.push({
          method: request.method ?? 'GET',
          path,
          headers: request.headers,
          form: Object.fromEntries(
            new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          ),
        });
        const answer = this.answers.get(path);
        if (!answer) {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end('{"error":"not_found"}');
          return;
        }
        if ('json' in answer) {
          response.writeHead(answer.status ?? 200, {
            'content-type': 'application/json',
          });
          response.end(JSON.stringify(answer.json));
        } else {
          response.writeHead(answer.status ?? 200, {
            'content-type': answer.contentType,
          });
          response.end(answer.text);
        }
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  /** An absolute URL of this server. */
  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** What `path` answers from now on. */
  answer(path: string, response: CannedResponse): void {
    this.answers.set(path, response);
  }

  /** The requests made to `path`, oldest first. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Stops the server and closes idle keep-alive connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

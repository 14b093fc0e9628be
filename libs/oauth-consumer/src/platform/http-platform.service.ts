import { ArgumentsHost, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExpressEdge } from './express.edge';
import { FastifyEdge } from './fastify.edge';
import {
  HttpEdge,
  HttpExchange,
  HttpPlatformName,
  PlatformRequest,
} from './http-edge.interface';

const EDGES: Record<HttpPlatformName, HttpEdge> = {
  express: new ExpressEdge(),
  fastify: new FastifyEdge(),
};

/**
 * The edge of the platform a request came through, when no `HttpAdapterHost` is at hand
 * (a storage called from a job, a hand-made request in a test): a Fastify request carries
 * Node's request as `raw`; an Express request is Node's request.
 */
export function edgeOf(request: PlatformRequest): HttpEdge {
  const raw = (request as { raw?: unknown } | undefined)?.raw;
  return raw && typeof raw === 'object' && raw !== request
    ? EDGES.fastify
    : EDGES.express;
}

/** The edge of a named platform. */
export function edgeNamed(name: HttpPlatformName): HttpEdge {
  return EDGES[name];
}

/**
 * Which platform the app runs on, read from Nest's `HttpAdapterHost` (as
 * `@nestjs/cache-manager` does), and its side of the HTTP edge.
 */
@Injectable()
export class HttpPlatform {
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  /** `express` or `fastify`; `undefined` before the app has an HTTP adapter. */
  get name(): HttpPlatformName | undefined {
    const type = this.adapterHost?.httpAdapter?.getType?.();
    return type === 'fastify' || type === 'express' ? type : undefined;
  }

  /** The edge for `request`: the adapter's, else told from the request's shape. */
  edgeFor(request: PlatformRequest): HttpEdge {
    const name = this.name;
    return name ? EDGES[name] : edgeOf(request);
  }

  /** The exchange of a request and its response. */
  exchange(request: PlatformRequest, response: unknown): HttpExchange {
    return this.edgeFor(request).exchange(request, response);
  }

  /** The exchange of an HTTP execution context or exception host. */
  exchangeOf(host: ArgumentsHost): HttpExchange {
    const http = host.switchToHttp();
    return this.exchange(http.getRequest(), http.getResponse());
  }
}

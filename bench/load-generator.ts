import './register-paths';
import { serveChild } from './child';

/** The part of autocannon's result the bench reads (autocannon ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  overallRate?: number;
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/** One load round's numbers. */
export interface LoadResult {
  /** Completed requests per second (2xx only). */
  rps: number;
  p50: number;
  p99: number;
  /** Requests that failed or did not answer 2xx. */
  failed: number;
}

/** What a load round targets. */
export interface LoadRequest {
  url: string;
  seconds: number;
  connections?: number;
  headers?: Record<string, string>;
  /** Send at this many requests per second in all (a fixed arrival rate) instead of as fast as possible. */
  overallRate?: number;
}

/**
 * The load generator, a process of its own (apart from the server it loads): autocannon
 * against one URL for a number of seconds, on 127.0.0.1 only.
 */
serveChild(async () => ({
  ready: true,
  handle: async (message): Promise<LoadResult> => {
    const {
      url,
      seconds,
      connections = 32,
      headers,
      overallRate,
    } = message as LoadRequest;
    if (new URL(url).hostname !== '127.0.0.1')
      throw new Error(`the bench loads 127.0.0.1 only, not ${url}`);
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      headers,
      overallRate,
    });
    const failed = result.errors + result.timeouts + result.non2xx;
    return {
      rps: (result.requests.total - failed) / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failed,
    };
  },
}));

import type { Strategy } from 'passport';
import { HttpExchange } from '../platform/http-edge.interface';
import {
  isHttpExchange,
  passportRequestOf,
} from '../platform/passport-request.util';

/** How one run of a passport strategy ended. */
export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown; info: unknown }
  | { kind: 'fail'; challenge: unknown; status?: number }
  | { kind: 'error'; error: unknown }
  | { kind: 'pass' };

/**
 * Runs a passport strategy on one request and resolves with its outcome, the way passport's
 * `authenticate` middleware drives it, without passport's global registry or its responses:
 * the dance decides what to send. On either platform: given an exchange, the strategy gets
 * `passportRequestOf(exchange)` (Express's request, or on Fastify what passport strategies
 * read); given such a request (or a view of one), that.
 */
export function runStrategy(
  strategy: Strategy,
  on: HttpExchange | object,
  options: Record<string, unknown>,
): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const run = Object.create(strategy) as Record<string, unknown> & {
      authenticate(request: object, options: Record<string, unknown>): void;
    };
    run.redirect = (url: string) => resolve({ kind: 'redirect', url });
    run.success = (user: unknown, info: unknown) =>
      resolve({ kind: 'success', user, info });
    run.fail = (challenge: unknown, status?: number) =>
      resolve({
        kind: 'fail',
        challenge,
        status: typeof challenge === 'number' ? challenge : status,
      });
    run.error = (error: unknown) => resolve({ kind: 'error', error });
    run.pass = () => resolve({ kind: 'pass' });
    try {
      run.authenticate(
        isHttpExchange(on) ? passportRequestOf(on) : on,
        options,
      );
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}

import type { Request } from 'express';
import type { Strategy } from 'passport';

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
 * the dance decides what to send.
 */
export function runStrategy(
  strategy: Strategy,
  request: Request,
  options: Record<string, unknown>,
): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const run = Object.create(strategy) as Record<string, unknown> & {
      authenticate(request: Request, options: Record<string, unknown>): void;
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
      run.authenticate(request, options);
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}

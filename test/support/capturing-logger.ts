import { LoggerService } from '@nestjs/common';

/** One line a Nest logger was given. */
export interface CapturedLog {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
}

/** A Nest logger that keeps every line (for `app.useLogger()`), to assert what was logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: CapturedLog[] = [];

  log(message: unknown, context?: string): void {
    this.keep('log', message, context);
  }
  error(message: unknown, _trace?: string, context?: string): void {
    this.keep('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.keep('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.keep('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.keep('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.keep('fatal', message, context);
  }

  /** Lines of `level` logged under `context`. */
  of(level: CapturedLog['level'], context: string): CapturedLog[] {
    return this.lines.filter((l) => l.level === level && l.context === context);
  }

  private keep(
    level: CapturedLog['level'],
    message: unknown,
    context?: string,
  ): void {
    this.lines.push({
      level,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      context,
    });
  }
}

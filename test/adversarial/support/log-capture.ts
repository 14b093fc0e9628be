import { LoggerService, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';

/** One line given to the capturing logger. */
export interface LoggedLine {
  level: LogLevel;
  context?: string;
  text: string;
}

/**
 * A Nest logger with every level on (verbose and debug included) that keeps each call,
 * messages and extra arguments rendered with `util.inspect` (as a JSON or console logger would
 * serialize objects), so a scan sees everything the library handed to its logger.
 */
export class AllLevelsLogger implements LoggerService {
  readonly lines: LoggedLine[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.keep('fatal', message, rest);
  }
  setLogLevels(): void {
    // Every level stays on.
  }

  /** Lines of `level` from `context`. */
  of(level: LogLevel, context?: string): LoggedLine[] {
    return this.lines.filter(
      (line) =>
        line.level === level &&
        (context === undefined || line.context === context),
    );
  }

  /** Everything logged, one line per call. */
  text(): string {
    return this.lines
      .map((l) => `${l.level} [${l.context ?? ''}] ${l.text}`)
      .join('\n');
  }

  private keep(level: LogLevel, message: unknown, rest: unknown[]): void {
    const context =
      typeof rest[rest.length - 1] === 'string'
        ? (rest[rest.length - 1] as string)
        : undefined;
    const parts = [message, ...rest].map((part) =>
      typeof part === 'string' ? part : inspect(part, { depth: 10 }),
    );
    this.lines.push({ level, context, text: parts.join(' ') });
  }
}

/** Captures what is written to `process.stdout` and `process.stderr` until `stop()`. */
export class StdioCapture {
  private chunks: string[] = [];
  private restore: Array<() => void> = [];

  /** Starts capturing (output still reaches the terminal). */
  start(): this {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      const patched = ((chunk: unknown, ...args: unknown[]) => {
        this.chunks.push(
          typeof chunk === 'string'
            ? chunk
            : Buffer.from(chunk as Uint8Array).toString('utf8'),
        );
        return (original as (...a: unknown[]) => boolean)(chunk, ...args);
      }) as typeof stream.write;
      stream.write = patched;
      this.restore.push(() => {
        stream.write = original;
      });
    }
    return this;
  }

  /** Stops capturing. */
  stop(): void {
    this.restore.forEach((undo) => undo());
    this.restore = [];
  }

  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}

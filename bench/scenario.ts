import type { ProfileSummary } from './profile';

/** How long and how often to measure (`npm run bench -- --rounds 5 --seconds 3`). */
export interface RunOptions {
  rounds: number;
  /** Length of one measured round, in seconds. */
  seconds: number;
  /** Profile variants that miss their target (`--no-profile` turns it off). */
  profile: boolean;
  /** Only these variants of a scenario (`--variants memory,typeorm`); all when empty. */
  variants: string[];
}

/** The items of `all` that `--variants` chose (all of them when it named none), by name. */
export function chosenVariants<T>(
  all: readonly T[],
  options: RunOptions,
  nameOf: (item: T) => string = String,
): T[] {
  return all.filter(
    (item) =>
      !options.variants.length || options.variants.includes(nameOf(item)),
  );
}

/** A target and whether this run met it. */
export interface TargetCheck {
  what: string;
  target: string;
  actual: string;
  met: boolean;
}

/** What one scenario measured, ready for docs/benchmarks.md. */
export interface ScenarioReport {
  id: string;
  title: string;
  /** What was measured and how, one paragraph. */
  method: string;
  table: { headers: string[]; rows: string[][] };
  /** Ratios to a baseline, for the chart. */
  ratios: Array<{ label: string; ratio: number; target?: number }>;
  targets: TargetCheck[];
  /** CPU profiles of the variants that missed a target. */
  profiles: Array<{ label: string; summary: ProfileSummary }>;
  /** Plain numbers by name (the smoke test reads them). */
  numbers: Record<string, number>;
}

/** `1234.5` → `1,235`. */
export function formatRate(value: number): string {
  return Number.isFinite(value)
    ? Math.round(value).toLocaleString('en-US')
    : 'n/a';
}

/** Milliseconds with a sensible precision. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 1
    ? `${value.toFixed(3)} ms`
    : value < 10
      ? `${value.toFixed(2)} ms`
      : `${Math.round(value)} ms`;
}

/** A ratio as `0.93`. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** One measured round: a rate (requests or operations per second) and latencies in ms. */
export interface Sample {
  rate: number;
  p50: number;
  p99: number;
  /** Requests or operations that failed (non-2xx, errors). */
  failed?: number;
}

/** Baseline and variant samples of interleaved rounds, summarized. */
export interface Comparison {
  baseline: Sample;
  variant: Sample;
  /** Median of the per-round ratios variant / baseline (pairs rounds that ran back to back). */
  ratio: number;
  rounds: number;
}

/** The median of `values` (NaN when empty). */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The `p`-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Medians of each field over `samples`. */
export function medianSample(samples: Sample[]): Sample {
  return {
    rate: median(samples.map((s) => s.rate)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    failed: samples.reduce((sum, s) => sum + (s.failed ?? 0), 0),
  };
}

/**
 * Runs `rounds` rounds of baseline and variant back to back, alternating which goes first
 * (ABBA...), so drift of a noisy machine hits both alike; medians of the rounds.
 */
export async function interleave(
  rounds: number,
  baseline: () => Promise<Sample>,
  variant: () => Promise<Sample>,
): Promise<Comparison> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      a.push(await baseline());
      b.push(await variant());
    } else {
      b.push(await variant());
      a.push(await baseline());
    }
  }
  return {
    baseline: medianSample(a),
    variant: medianSample(b),
    ratio: median(a.map((sample, i) => b[i].rate / sample.rate)),
    rounds,
  };
}

/** Rate, p50 and p99 of latencies (ms) measured over `seconds`. */
export function sampleOf(
  latencies: number[],
  seconds: number,
  failed = 0,
): Sample {
  return {
    rate: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
  };
}

/** A variant and an A/A control against one baseline, from the same rounds. */
export interface ControlledComparison {
  main: Comparison;
  /** Median of the per-round ratios control / baseline: the noise floor of `main.ratio`. */
  aa: number;
}

/**
 * Rounds of baseline, variant and control (a second copy of the baseline), each round all
 * three back to back, the order mirrored every other round (ABC, CBA, ...): each process is
 * measured as often and in every position, so no one of them is warmer or better placed than
 * another, and the A/A ratio is a fair noise floor for the variant's.
 */
export async function interleaveWithControl(
  rounds: number,
  baseline: () => Promise<Sample>,
  variant: () => Promise<Sample>,
  control: () => Promise<Sample>,
): Promise<ControlledComparison> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  const c: Sample[] = [];
  const steps: Array<[() => Promise<Sample>, Sample[]]> = [
    [baseline, a],
    [variant, b],
    [control, c],
  ];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...steps].reverse() : steps;
    for (const [measure, into] of order) into.push(await measure());
  }
  return {
    main: {
      baseline: medianSample(a),
      variant: medianSample(b),
      ratio: median(a.map((sample, i) => b[i].rate / sample.rate)),
      rounds,
    },
    aa: median(a.map((sample, i) => c[i].rate / sample.rate)),
  };
}

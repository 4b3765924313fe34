import { performance } from 'node:perf_hooks';

/** One contender in a comparison: an operation run in a tight loop. */
export interface Contender {
  readonly name: string;
  /** One operation; may be async. */
  readonly run: () => unknown;
}

/** Options of {@link compare}. */
export interface ComparisonOptions {
  /** Name of the figure, e.g. `verifier.full-decision.rs256`. */
  readonly name: string;
  readonly ours: Contender;
  readonly reference: Contender;
  /** The ratio ours/reference we aim for (higher is better). */
  readonly target: number;
  /** Rounds per contender (at least 5). */
  readonly rounds?: number;
  /** Duration of one round, ms. */
  readonly roundMs?: number;
  /** Warm-up per contender before measuring, ms. */
  readonly warmupMs?: number;
}

/** What {@link compare} found. */
export interface ComparisonResult {
  readonly name: string;
  readonly ours: RoundStatistics;
  readonly reference: RoundStatistics;
  /** Median of the per-round ratios. */
  readonly ratio: number;
  readonly target: number;
  readonly met: boolean;
}

/** Throughput over several rounds, operations per second. */
export interface RoundStatistics {
  readonly name: string;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function statistics(name: string, values: readonly number[]): RoundStatistics {
  return { name, min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** Operations per second of `run` over about `durationMs`, checking the clock every 64 operations. */
export async function throughput(run: () => unknown, durationMs: number): Promise<number> {
  const start = performance.now();
  let operations = 0;
  let elapsed = 0;
  const isAsync = run() instanceof Promise;
  do {
    for (let index = 0; index < 64; index++) {
      if (isAsync) await run();
      else run();
    }
    operations += 64;
    elapsed = performance.now() - start;
  } while (elapsed < durationMs);
  return (operations * 1000) / elapsed;
}

/**
 * Measures `ours` and `reference` in alternating rounds in this process, and reports the median
 * of the per-round ratios: the machine's noise hits both alike.
 */
export async function compare(options: ComparisonOptions): Promise<ComparisonResult> {
  const rounds = Math.max(5, options.rounds ?? 7);
  const roundMs = options.roundMs ?? 400;
  await throughput(options.ours.run, options.warmupMs ?? 300);
  await throughput(options.reference.run, options.warmupMs ?? 300);
  const ours: number[] = [];
  const reference: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    const first = round % 2 === 0;
    const a = await throughput(first ? options.ours.run : options.reference.run, roundMs);
    const b = await throughput(first ? options.reference.run : options.ours.run, roundMs);
    const [oursValue, referenceValue] = first ? [a, b] : [b, a];
    ours.push(oursValue);
    reference.push(referenceValue);
    ratios.push(oursValue / referenceValue);
  }
  const ratio = median(ratios);
  const result: ComparisonResult = {
    name: options.name,
    ours: statistics(options.ours.name, ours),
    reference: statistics(options.reference.name, reference),
    ratio,
    target: options.target,
    met: ratio >= options.target,
  };
  report(result);
  return result;
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');

/** Prints a readable summary and the machine-readable `BENCH {json}` line of one figure. */
export function report(result: ComparisonResult): void {
  const { ours, reference } = result;
  process.stdout.write(
    `${result.name}\n` +
      `  ${ours.name}: ${format(ours.median)} ops/s (min ${format(ours.min)}, max ${format(ours.max)})\n` +
      `  ${reference.name}: ${format(reference.median)} ops/s (min ${format(reference.min)}, max ${format(reference.max)})\n` +
      `  ratio ${result.ratio.toFixed(2)} (target ≥ ${result.target}) ${result.met ? 'met' : 'NOT met'}\n`,
  );
  printBenchLine({
    name: result.name,
    value: ours.median,
    unit: 'ops/s',
    reference: reference.name,
    ratio: result.ratio,
    target: result.target,
    met: result.met,
  });
}

/** The machine-readable line of one figure (`BENCH {json}`), as bench/README.md describes it. */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly reference: string;
  readonly ratio: number;
  readonly target: number;
  readonly met: boolean;
}

export function printBenchLine(line: BenchLine): void {
  process.stdout.write(`BENCH ${JSON.stringify(line)}\n`);
}

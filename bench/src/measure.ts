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
  /** Operations per second of wall time. */
  readonly ours: RoundStatistics;
  readonly reference: RoundStatistics;
  /** Operations per second of this process's CPU time (user + system, every thread). */
  readonly oursCpu: RoundStatistics;
  readonly referenceCpu: RoundStatistics;
  /** Median of the per-round ratios by CPU time: the figure the target is judged on. */
  readonly ratio: number;
  /** Median of the per-round ratios by wall time, printed beside it. */
  readonly wallRatio: number;
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

/** One timed run: operations per second of wall time and of process CPU time. */
export interface Throughput {
  readonly wall: number;
  readonly cpu: number;
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

/**
 * Operations per second of `run` over about `durationMs` of wall time, checking the clock every 64
 * operations, by wall time and by this process's CPU time. On a shared machine the wall figure
 * also counts the time other work held the core; the CPU figure counts only the work done here.
 */
export async function throughput(run: () => unknown, durationMs: number): Promise<Throughput> {
  const isAsync = run() instanceof Promise;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let operations = 0;
  let elapsed = 0;
  do {
    for (let index = 0; index < 64; index++) {
      if (isAsync) await run();
      else run();
    }
    operations += 64;
    elapsed = performance.now() - start;
  } while (elapsed < durationMs);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMicros = Math.max(1, cpu.user + cpu.system);
  return { wall: (operations * 1000) / elapsed, cpu: (operations * 1e6) / cpuMicros };
}

/**
 * Measures `ours` and `reference` in alternating rounds in this process, and reports the median
 * of the per-round ratios: the machine's noise hits both alike. Each round is timed by wall clock
 * and by process CPU time (`process.cpuUsage()`); the target is judged on the CPU-time ratio,
 * which other tenants of a shared machine do not move, and the wall-time ratio is printed beside it.
 */
export async function compare(options: ComparisonOptions): Promise<ComparisonResult> {
  const rounds = Math.max(5, options.rounds ?? 7);
  const roundMs = options.roundMs ?? 400;
  await throughput(options.ours.run, options.warmupMs ?? 300);
  await throughput(options.reference.run, options.warmupMs ?? 300);
  const ours: Throughput[] = [];
  const reference: Throughput[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    const first = round % 2 === 0;
    const a = await throughput(first ? options.ours.run : options.reference.run, roundMs);
    const b = await throughput(first ? options.reference.run : options.ours.run, roundMs);
    ours.push(first ? a : b);
    reference.push(first ? b : a);
  }
  const ratioOf = (basis: keyof Throughput) =>
    median(ours.map((value, round) => value[basis] / (reference[round] as Throughput)[basis]));
  const ratio = ratioOf('cpu');
  const wallOf = (values: readonly Throughput[]) => values.map((value) => value.wall);
  const cpuOf = (values: readonly Throughput[]) => values.map((value) => value.cpu);
  const result: ComparisonResult = {
    name: options.name,
    ours: statistics(options.ours.name, wallOf(ours)),
    reference: statistics(options.reference.name, wallOf(reference)),
    oursCpu: statistics(options.ours.name, cpuOf(ours)),
    referenceCpu: statistics(options.reference.name, cpuOf(reference)),
    ratio,
    wallRatio: ratioOf('wall'),
    target: options.target,
    met: ratio >= options.target,
  };
  report(result);
  return result;
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');

const spread = (statistics: RoundStatistics) =>
  `${format(statistics.median)} ops/s (min ${format(statistics.min)}, max ${format(statistics.max)})`;

/** Prints a readable summary and the machine-readable `BENCH {json}` line of one figure. */
export function report(result: ComparisonResult): void {
  const { ours, reference, oursCpu, referenceCpu } = result;
  process.stdout.write(
    `${result.name}\n` +
      `  ${ours.name}: ${spread(oursCpu)} of CPU time; ${spread(ours)} of wall time\n` +
      `  ${reference.name}: ${spread(referenceCpu)} of CPU time; ${spread(reference)} of wall time\n` +
      `  ratio by CPU time ${result.ratio.toFixed(2)} (target ≥ ${result.target}, judged on this) ${result.met ? 'met' : 'NOT met'}; ` +
      `by wall time ${result.wallRatio.toFixed(2)}\n`,
  );
  printBenchLine({
    name: result.name,
    value: oursCpu.median,
    unit: 'ops/CPU-s',
    reference: reference.name,
    ratio: result.ratio,
    target: result.target,
    met: result.met,
    basis: 'cpu',
    wallValue: ours.median,
    wallRatio: result.wallRatio,
  });
}

/** The machine-readable line of one figure (`BENCH {json}`), as bench/README.md describes it. */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly reference: string;
  /** ours / reference, the figure `target` and `met` are judged on. */
  readonly ratio: number;
  readonly target: number;
  readonly met: boolean;
  /** What `value` and `ratio` measure: process CPU time, or wall time (absent: wall time). */
  readonly basis?: 'cpu' | 'wall';
  /** With `basis: 'cpu'`: the same figure by wall time, printed beside it. */
  readonly wallValue?: number;
  readonly wallRatio?: number;
}

export function printBenchLine(line: BenchLine): void {
  process.stdout.write(`BENCH ${JSON.stringify(line)}\n`);
}

/**
 * Bytes `run` leaves on the JS heap per call, garbage included: the heap's growth over windows of
 * `calls` calls after a full collection, the median of the windows no scavenge interrupted (a
 * scavenge shrinks the heap, so those windows grow least and are dropped as the lower half).
 * Needs `--expose-gc` (run-all.ts passes it); synchronous `run` only.
 */
export function allocatedBytesPerCall(run: () => unknown, calls = 200, windows = 24): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new TypeError('allocatedBytesPerCall needs node --expose-gc');
  for (let index = 0; index < calls * 4; index++) run();
  const growth: number[] = [];
  for (let window = 0; window < windows; window++) {
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < calls; index++) run();
    growth.push((process.memoryUsage().heapUsed - before) / calls);
  }
  growth.sort((a, b) => a - b);
  return median(growth.slice(Math.floor(windows / 2)));
}

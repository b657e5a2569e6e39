/**
 * Issue 9's workloads (workloads.ts) against TF.js Layers and PyTorch on the same machine. Each
 * workload runs in a child process (workload-child.ts) once with STRATA_THREADS=1 and once with
 * STRATA_THREADS=<cores>, `rounds` times in turn (1, cores, 1, cores, …: on a shared machine the
 * load drifts, and a round's two runs see about the same); a row shows the round with the median
 * time, and the thread speed-up (1-thread ms ÷ all-threads ms) is given per round. Each thread
 * setting is labelled by the thread count the child reports.
 * PyTorch (torch_workloads.py) runs the same step with 1 thread and with all cores in each round,
 * right after Strata's two runs, when a Python that can import torch is at hand
 * (STRATA_BENCH_PYTHON, else python3); its columns show the median round. Never asserts on time.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './workload-child.js';
import { DESCRIPTIONS, MATMUL_FLOPS_PER_STEP, SAMPLES_PER_STEP, WORKLOADS, type Workload } from './workloads.js';

/** Options of the issue-9 part of `pnpm bench training`. */
export interface Issue9Options {
  workloads: readonly Workload[];
  steps: number;
  warmup: number;
  /** How many times each workload runs at each thread setting (interleaved). */
  rounds: number;
  /** STRATA_BACKEND for the children (empty: Strata's default). */
  backend: string;
}

/** One table row: one workload at one Strata thread setting. */
export interface Issue9Row extends ChildResult {
  /** The STRATA_THREADS the child was started with (`threads` is what it reports it ran with). */
  requestedThreads: number;
  samplesPerSecond: number;
  /** Matmul/conv GFLOP per step, and the share of the measured matmul ceiling Strata reached (%). */
  gflopPerStep: number;
  percentOfMatmulCeiling: number;
  /** PyTorch ms per step at the same thread count as this row's Strata, when available. */
  torchMsPerStep: number | null;
  /** PyTorch ms per step with 1 thread and with all cores, when available. */
  torch1MsPerStep: number | null;
  torchAllMsPerStep: number | null;
  /** PyTorch ms ÷ Strata ms at the same thread count (above 1: Strata is faster). */
  ratioVsTorch: number | null;
  /** Strata's ms per step in each round (the row shows the round with the median). */
  roundsMsPerStep: number[];
}

/** One workload's thread speed-up: 1-thread ms ÷ all-threads ms. */
export interface ThreadSpeedup {
  workload: Workload;
  threads: number;
  /** Strata's, per round (the two runs of a round ran one after the other). */
  strata: number[];
  /** PyTorch's, per round (run right after Strata's), when available. */
  torch: number[] | null;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

function runChild(workload: Workload, threads: number, options: Issue9Options): ChildResult {
  const args = ['--conditions=strata-source', '--import', 'tsx', here('./workload-child.ts'), '--workload', workload];
  args.push('--steps', String(options.steps), '--warmup', String(options.warmup));
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_THREADS: String(threads) };
  if (options.backend !== '') env['STRATA_BACKEND'] = options.backend;
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !last.startsWith('{')) {
    throw new Error(`workload ${workload} (STRATA_THREADS=${threads}) failed:\n${run.stderr}${run.stdout}`);
  }
  return JSON.parse(last) as ChildResult;
}

let torchUnavailable: string | null = null;
const torchCache = new Map<string, number | null>();
/** PyTorch's ms per step, or null (the reason kept in torchUnavailable) when no Python can import torch. */
function torchMs(workload: Workload, threads: number, options: Issue9Options, round: number): number | null {
  const key = `${workload}/${threads}/${round}`;
  if (torchUnavailable !== null) return null;
  if (torchCache.has(key)) return torchCache.get(key)!;
  const python = process.env['STRATA_BENCH_PYTHON'] ?? 'python3';
  const args = [here('./torch_workloads.py'), '--workload', workload, '--threads', String(threads)];
  args.push('--steps', String(options.steps), '--warmup', String(options.warmup));
  const run = spawnSync(python, args, { encoding: 'utf8' });
  if (run.status !== 0) {
    const reason = (run.stderr || String(run.error)).trim().split('\n').pop();
    torchUnavailable = `${python} cannot run torch_workloads.py (${reason}); set STRATA_BENCH_PYTHON to a Python with torch`;
    console.log(`  PyTorch columns skipped: ${torchUnavailable}`);
    return null;
  }
  const ms = (JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms_per_step: number }).ms_per_step;
  torchCache.set(key, ms);
  return ms;
}

const fmt = (value: number | null, digits = 0): string => (value === null ? '—' : value.toFixed(digits));
/** Kernel counts: whole per training step, possibly fractional per predict batch (one call's ÷ its batches). */
const count = (calls: number): string => (Number.isInteger(calls) ? String(calls) : calls.toFixed(1));

function printTable(rows: Issue9Row[]): void {
  const header = [
    'workload',
    'threads',
    'Strata ms/step (min–max)',
    'samples/s',
    'kernel calls/step',
    'Δtensors',
    'peak RSS MB',
    'TF.js Layers ms/step',
    'PyTorch ms/step, same threads',
    'PyTorch ÷ Strata',
    'GFLOP/step, % of matmul ceiling',
  ];
  console.log(`\n| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const r of rows) {
    const cells = [
      r.workload,
      r.threads === r.requestedThreads ? String(r.threads) : `${r.threads} (asked ${r.requestedThreads})`,
      `${fmt(r.strataMsPerStep)} (${fmt(r.strataMinMs)}–${fmt(r.strataMaxMs)})`,
      fmt(r.samplesPerSecond),
      count(r.kernelCallsPerStep),
      String(r.tensorGrowth),
      fmt(r.peakRssMb),
      r.tfjsMsPerStep === null ? '— (see below)' : fmt(r.tfjsMsPerStep),
      fmt(r.torchMsPerStep, 1),
      fmt(r.ratioVsTorch, 2),
      `${r.gflopPerStep.toFixed(2)}, ${r.percentOfMatmulCeiling.toFixed(0)} % of ${r.matmulGflops.toFixed(1)} GFLOP/s`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const allThreads = rows.filter(
    (r, i) => r.torchAllMsPerStep !== null && rows.findIndex((q) => q.workload === r.workload) === i,
  );
  if (allThreads.length > 0) {
    const list = allThreads.map((r) => `${r.workload} ${fmt(r.torchAllMsPerStep, 1)}`).join(', ');
    console.log(`  PyTorch with all ${availableParallelism()} threads, ms/step: ${list}`);
  }
  for (const r of rows.filter((q) => q.tensorGrowth !== 0)) {
    console.log(`  LEAK: ${r.workload} grew the tensor count by ${r.tensorGrowth} over its measured steps`);
  }
  for (const r of rows) if (r.tfjsSkipped !== null) console.log(`  ${r.workload}: ${r.tfjsSkipped}`);
  const fma = rows.some((r) => r.fusedMultiplyAdd);
  console.log(`  WASM product tiles: ${fma ? 'fused multiply-add (relaxed SIMD)' : 'separate multiply and add'}`);
  for (const w of new Set(rows.map((r) => r.workload))) console.log(`  ${w}: ${DESCRIPTIONS[w]}`);
  const busiest = rows.filter((r) => r === rows.find((q) => q.workload === r.workload));
  for (const r of busiest) {
    const list = r.topKernels.map((k) => `${k.name}×${count(k.calls)} ${k.ms}ms`).join(', ');
    console.log(`  ${r.workload} busiest kernels (one step, ${r.threads} thread): ${list}`);
  }
}

/** The median of `values` (the lower middle one for an even count). */
function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[(values.length - 1) >> 1]!;
}

/** The result whose ms per step is the median of `results`. */
function medianRun(results: ChildResult[]): ChildResult {
  const ms = median(results.map((r) => r.strataMsPerStep));
  return results.find((r) => r.strataMsPerStep === ms)!;
}

/** PyTorch's ms per step in each round at one thread setting, or null when it did not run. */
type TorchRounds = (number | null)[];

/** The per-round ratios a ÷ b, or null when either is missing in some round. */
function roundRatios(a: TorchRounds, b: TorchRounds): number[] | null {
  const ratios = a.map((x, i) => (x === null || b[i] == null ? null : x / b[i]!));
  return ratios.every((r): r is number => r !== null) && ratios.length > 0 ? ratios : null;
}

/**
 * Thread speed-ups of the workloads run at more than one thread setting (runs: Strata's results
 * per setting, per round; torch: PyTorch's ms per round at one thread and at all cores).
 */
function threadSpeedups(
  runs: Map<Workload, ChildResult[][]>,
  torch: Map<Workload, [TorchRounds, TorchRounds]>,
): ThreadSpeedup[] {
  const speedups: ThreadSpeedup[] = [];
  for (const [workload, bySetting] of runs) {
    const [one, all] = [bySetting[0], bySetting[bySetting.length - 1]];
    if (bySetting.length < 2 || one === undefined || all === undefined || all[0]?.threads === 1) continue;
    const [torchOne, torchAll] = torch.get(workload) ?? [[], []];
    speedups.push({
      workload,
      threads: all[0]!.threads,
      strata: one.map((run, i) => run.strataMsPerStep / all[i]!.strataMsPerStep),
      torch: roundRatios(torchOne, torchAll),
    });
  }
  return speedups;
}

/** `1.52× (rounds 1.47, 1.52, 1.53)`: the median round, and every round when there are several. */
function roundsCell(values: readonly number[]): string {
  const rounds =
    values.length > 1
      ? ` (rounds ${[...values]
          .sort((a, b) => a - b)
          .map((x) => x.toFixed(2))
          .join(', ')})`
      : '';
  return `${median(values).toFixed(2)}×${rounds}`;
}

function printSpeedups(speedups: ThreadSpeedup[]): void {
  if (speedups.length === 0) return;
  const cells = speedups.map(
    (s) => `${s.workload} ${roundsCell(s.strata)}, PyTorch ${s.torch === null ? '—' : roundsCell(s.torch)}`,
  );
  console.log(`  thread speed-up (1-thread ms ÷ ${speedups[0]!.threads}-thread ms): ${cells.join('; ')}`);
}

/** Runs the issue-9 part: prints the table and writes it to bench/training/last-run.json. */
export function runIssue9(options: Issue9Options): Issue9Row[] {
  const cores = availableParallelism();
  const machine = `${cpus()[0]?.model ?? 'cpu'}, ${cores} cores`;
  const load = loadavg()[0]!.toFixed(2);
  console.log(`\nIssue 9 workloads: ${options.workloads.join(', ')}; ${machine}, load average ${load}`);
  console.log(`  ${options.warmup} warm-up + ${options.steps} measured steps per library, median shown`);
  if (options.rounds > 1)
    console.log(`  ${options.rounds} rounds per thread setting, in turn; rows show the median round`);
  const rows: Issue9Row[] = [];
  const settings = cores > 1 ? [1, cores] : [1];
  const runs = new Map<Workload, ChildResult[][]>();
  const torchRuns = new Map<Workload, [TorchRounds, TorchRounds]>();
  for (const workload of options.workloads) {
    const bySetting: ChildResult[][] = settings.map(() => []);
    const torchRounds: [TorchRounds, TorchRounds] = [[], []];
    runs.set(workload, bySetting);
    torchRuns.set(workload, torchRounds);
    for (let round = 0; round < options.rounds; round++) {
      settings.forEach((requested, i) => {
        const label = options.rounds > 1 ? ` (round ${round + 1} of ${options.rounds})` : '';
        console.log(`  running ${workload} with STRATA_THREADS=${requested}${label} …`);
        bySetting[i]!.push(runChild(workload, requested, options));
      });
      const one = torchMs(workload, 1, options, round);
      torchRounds[0].push(one);
      torchRounds[1].push(cores > 1 ? torchMs(workload, cores, options, round) : one);
    }
    const torchMedian = (rounds: TorchRounds): number | null =>
      rounds.every((x): x is number => x !== null) && rounds.length > 0 ? median(rounds) : null;
    const [torch1, torchAll] = [torchMedian(torchRounds[0]), torchMedian(torchRounds[1])];
    settings.forEach((requested, i) => {
      const child = medianRun(bySetting[i]!);
      const torch = child.threads === 1 ? torch1 : child.threads === cores ? torchAll : null;
      const gflopPerStep = MATMUL_FLOPS_PER_STEP[workload] / 1e9;
      const achievedGflops = gflopPerStep / (child.strataMsPerStep / 1000);
      rows.push({
        ...child,
        requestedThreads: requested,
        samplesPerSecond: (SAMPLES_PER_STEP[workload] * 1000) / child.strataMsPerStep,
        gflopPerStep,
        percentOfMatmulCeiling: (100 * achievedGflops) / child.matmulGflops,
        torchMsPerStep: torch,
        torch1MsPerStep: torch1,
        torchAllMsPerStep: torchAll,
        ratioVsTorch: torch === null ? null : torch / child.strataMsPerStep,
        roundsMsPerStep: bySetting[i]!.map((run) => run.strataMsPerStep),
      });
    });
  }
  printTable(rows);
  const speedups = threadSpeedups(runs, torchRuns);
  printSpeedups(speedups);
  const one = rows.filter((r) => r.requestedThreads === 1 && r.threads === 1 && r.ratioVsTorch !== null);
  if (one.length > 0) {
    const list = one.map((r) => `${r.workload} ${r.ratioVsTorch!.toFixed(2)}`).join(', ');
    console.log(`  ratio per core (PyTorch 1-thread ms ÷ Strata 1-thread ms; above 1 Strata is faster): ${list}`);
  }
  if (torchUnavailable !== null) console.log(`  PyTorch columns: ${torchUnavailable}`);
  const out = here('./last-run.json');
  const json = {
    date: new Date().toISOString(),
    machine,
    loadAverage: Number(load),
    options,
    rows,
    speedups,
    torchUnavailable,
  };
  writeFileSync(out, JSON.stringify(json, null, 2));
  console.log(`  written: ${out}`);
  return rows;
}

/** Parses `--only` names that are issue-9 workloads. */
export function issue9Workloads(only: readonly string[]): Workload[] {
  return WORKLOADS.filter((w) => only.includes(w));
}

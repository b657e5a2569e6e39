/**
 * Child-process half of the hostile-file tests: reads each case the way lint/summary
 * (`@strata/graph`) and `loadModel` (`@strata/core`) do, then runs `strata lint` and
 * `strata summary` on it in-process (limits passed as their --max-* flags), one after the
 * other, and prints one JSON line per case and reader with the outcome and the process's
 * peak RSS so far.
 * Run by hostile-files.test.ts under a heap limit and a timeout, so a case that hangs or
 * balloons is caught by the parent without taking the test runner down with it.
 *
 * Usage: node --conditions=strata-source --import tsx load-cases.ts CASES.json
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { initBackend, loadModel, tf } from '@strata/core';
import { readModelFile, type LoadLimits } from '@strata/graph';
import { run as runCli } from '../../packages/cli/src/cli.js';
import { LIMIT_FLAGS } from '../../packages/cli/src/limit-options.js';
import { CANARY_VALUES } from './canary.js';

/** One file and how to read it. */
export interface LoadCase {
  name: string;
  file: string;
  limits?: Partial<LoadLimits>;
  /** Passed to loadModel as `weights`. */
  loadWeights?: boolean;
  /** Passed to loadModel as `compile` (default false). */
  compile?: boolean;
}

/** What one reader made of one case. */
export interface CaseReport {
  name: string;
  reader: 'lint' | 'read' | 'load' | 'cli-lint' | 'cli-summary';
  outcome: 'loaded' | 'refused' | 'crashed';
  /** Error class name and message when not loaded. */
  error?: string;
  message?: string;
  /** True when any loaded weight holds a canary value (bytes from outside the model folder). */
  canary: boolean;
  /** What the reader printed through console.warn (e.g. a compile_config that was not applied). */
  warnings?: string[];
  /** Peak resident set size of this process so far, in bytes. */
  maxRss: number;
  /** Tensors left behind by the reader (loadModel only). */
  leakedTensors: number;
  /** CLI readers: the exit code, what was printed (stdout then stderr, cut at 4,000 characters). */
  exitCode?: number;
  printed?: string;
  /** CLI readers: whether anything printed holds a raw control character other than newline. */
  rawControl?: boolean;
}

const canarySet = new Set(CANARY_VALUES.map((v) => Math.fround(v)));

function hasCanary(arrays: Iterable<ArrayLike<number>>): boolean {
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++) if (canarySet.has(array[i]!)) return true;
  }
  return false;
}

const TYPED = new Set(['ModelFileError', 'ModelLoadError']);
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Runs `strata <command> [--max-* flags] <file>` in-process (no colour, not a TTY). */
async function runCommand(command: 'lint' | 'summary', item: LoadCase): Promise<CaseReport> {
  const flags = Object.entries(item.limits ?? {}).flatMap(([key, value]) => [
    `--${LIMIT_FLAGS[key as keyof LoadLimits]}`,
    String(value),
  ]);
  let printed = '';
  const io = {
    stdout: (t: string) => void (printed += t),
    stderr: (t: string) => void (printed += t),
    cwd: process.cwd(),
    env: {},
    stdoutIsTTY: false,
  };
  let exitCode: number;
  try {
    exitCode = await runCli([command, ...flags, item.file], io);
  } catch (error) {
    printed += `thrown: ${error instanceof Error ? error.stack : String(error)}`;
    exitCode = -1;
  }
  const outcome: CaseReport['outcome'] =
    exitCode === 0 || exitCode === 1 ? 'loaded' : exitCode === 2 ? 'refused' : 'crashed';
  return {
    name: item.name,
    reader: command === 'lint' ? 'cli-lint' : 'cli-summary',
    outcome,
    canary: false,
    maxRss: process.resourceUsage().maxRSS * 1024,
    leakedTensors: 0,
    exitCode,
    printed: printed.slice(0, 4000),
    rawControl: RAW_CONTROL.test(printed),
  };
}

async function run(
  reader: CaseReport['reader'],
  item: LoadCase,
  read: () => Promise<ArrayLike<number>[]>,
): Promise<CaseReport> {
  const before = tf.memory().numTensors;
  const base = { name: item.name, reader };
  let report: Omit<CaseReport, 'maxRss' | 'leakedTensors'>;
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    const arrays = await read();
    report = { ...base, outcome: 'loaded', canary: hasCanary(arrays) };
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    report = { ...base, outcome: TYPED.has(name) ? 'refused' : 'crashed', error: name, message, canary: false };
  } finally {
    console.warn = warn;
  }
  return {
    ...report,
    ...(warnings.length > 0 ? { warnings } : {}),
    maxRss: process.resourceUsage().maxRSS * 1024,
    leakedTensors: tf.memory().numTensors - before,
  };
}

async function main(): Promise<void> {
  await initBackend();
  const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadCase[];
  for (const item of cases) {
    const options = item.limits ? { limits: item.limits } : {};
    process.stdout.write(`${JSON.stringify({ started: item.name })}\n`);
    const reports = [
      await run('lint', item, async () => {
        await readModelFile(item.file, options);
        return [];
      }),
      await run('read', item, async () => {
        const file = await readModelFile(item.file, options);
        return ((await file.weights?.()) ?? []).map((weight) => weight.data);
      }),
      await run('load', item, async () => {
        const model = await loadModel(item.file, {
          ...options,
          ...(item.loadWeights === undefined ? {} : { weights: item.loadWeights }),
          compile: item.compile === true,
        });
        try {
          return model.weights.map((variable) => variable.value.dataSync() as ArrayLike<number>);
        } finally {
          model.dispose();
        }
      }),
      await runCommand('lint', item),
      await runCommand('summary', item),
    ];
    for (const report of reports) process.stdout.write(`${JSON.stringify(report)}\n`);
  }
}

await main();

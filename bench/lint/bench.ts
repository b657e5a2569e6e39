/**
 * Benchmark (not a test) of `strata lint`:
 *  1. generates 1,000 model files from the real fixtures' configs into a temp dir and lints
 *     them all, in-process and as one spawned process;
 *  2. measures the cold start of `strata lint` on one file (spawned node process), for a JSON
 *     config, a .keras zip and a legacy .h5 (which loads h5wasm).
 *
 * Run from the repo root:
 *   node --conditions=strata-source --import tsx bench/lint/bench.ts [--files 1000] [--runs 7]
 * The spawned runs use packages/cli/bin/strata.js when packages/cli/dist exists (after
 * `pnpm build`), and the tsx source entry otherwise (both are reported when possible).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writeZip } from '../../packages/graph/src/files/zip.js';
import { readRawModelFile, type JsonObject } from '../../packages/graph/src/index.js';
import { run } from '../../packages/cli/src/cli.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REAL_MODELS = resolve(REPO_ROOT, '../shared/fixtures/real-models');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const FILE_COUNT = option('files', 1000);
const RUNS = option('runs', 7);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

if (!existsSync(REAL_MODELS)) {
  // A fresh clone has no ../shared: every row here is built from those files, so skip, saying why.
  console.log(
    `bench/lint: skipped — its model files are generated from the real-model fixtures in ${REAL_MODELS}, which is absent`,
  );
  process.exit(0);
}

/** Copies a config with a new model name, so that the files are not identical. */
function renamed(config: JsonObject, suffix: number): JsonObject {
  const copy = structuredClone(config);
  const inner = copy['modelTopology'] ?? copy;
  const body = (inner as JsonObject)['config'];
  if (body && typeof body === 'object' && !Array.isArray(body)) body['name'] = `bench_${suffix}`;
  return copy;
}

async function generate(dir: string): Promise<void> {
  const sources = [
    'fashion_mnist_cnn.keras',
    'dl4j_keras2_mlp_config.json',
    'hls4ml_KERAS_conv2d_model.json',
    'tfjs_layers_model/model.json',
    'dl4j_mlp_0.h5',
    'dl4j_cnn2d_64.h5',
    'dl4j_simple_lstm_tf_keras_2_model.h5',
    'dl4j_wgan_discriminator.h5',
  ];
  const raws = await Promise.all(sources.map((name) => readRawModelFile(join(REAL_MODELS, name))));
  const encoder = new TextEncoder();
  for (let i = 0; i < FILE_COUNT; i++) {
    const raw = raws[i % raws.length]!;
    const source = sources[i % sources.length]!;
    const stem = join(dir, `model_${String(i).padStart(4, '0')}`);
    if (raw.container === 'keras-zip') {
      // Config and metadata only: linting never reads the weights.
      const zip = writeZip([
        ['metadata.json', encoder.encode(JSON.stringify(raw.metadata ?? {})), false],
        ['config.json', encoder.encode(JSON.stringify(renamed(raw.config, i))), false],
      ]);
      writeFileSync(`${stem}.keras`, zip);
    } else if (raw.container === 'keras-h5') {
      copyFileSync(join(REAL_MODELS, source), `${stem}.h5`);
    } else {
      // Drop the TF.js manifest so the copies do not point at missing shards.
      const config = renamed(raw.config, i);
      delete config['weightsManifest'];
      writeFileSync(`${stem}.json`, JSON.stringify(config));
    }
  }
}

function spawnTimes(label: string, argv: string[], runs: number): number {
  const times: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const child = spawnSync(process.execPath, argv, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: '1' },
    });
    times.push(performance.now() - start);
    status = child.status;
    if (status === null || status > 2) throw new Error(`${label} failed (${status}): ${child.stderr}`);
  }
  const result = median(times);
  console.log(
    `  ${label.padEnd(44)} median ${ms(result)}  (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}, exit ${status})`,
  );
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
try {
  console.log(`Generating ${FILE_COUNT} model files in ${dir} …`);
  const generateStart = performance.now();
  await generate(dir);
  console.log(`  generated in ${ms(performance.now() - generateStart)}`);

  const entries: [string, string[]][] = [];
  const bin = join(REPO_ROOT, 'packages/cli/bin/strata.js');
  if (existsSync(join(REPO_ROOT, 'packages/cli/dist/cli.js'))) entries.push(['built (bin/strata.js)', [bin]]);
  entries.push([
    'source (tsx)',
    ['--conditions=strata-source', '--import', 'tsx', join(REPO_ROOT, 'packages/cli/src/main.ts')],
  ]);

  console.log(`\nLint ${FILE_COUNT} files in-process (run(['lint', '--format', 'json', dir])):`);
  for (let round = 0; round < 2; round++) {
    let output = '';
    const start = performance.now();
    const code = await run(['lint', '--format', 'json', dir], {
      stdout: (text) => void (output += text),
      stderr: () => undefined,
      cwd: REPO_ROOT,
      env: {},
      stdoutIsTTY: false,
    });
    const elapsed = performance.now() - start;
    const results = JSON.parse(output) as { findings: unknown[]; fatal?: string }[];
    const findings = results.reduce((sum, result) => sum + result.findings.length, 0);
    console.log(
      `  round ${round + 1}: ${ms(elapsed)} = ${(elapsed / results.length).toFixed(2)} ms/file, ${results.length} files, ${findings} findings, ${results.filter((r) => r.fatal).length} unreadable, exit ${code}`,
    );
  }

  console.log(`\nLint ${FILE_COUNT} files in one spawned process:`);
  for (const [label, argv] of entries) spawnTimes(label, [...argv, 'lint', '--format', 'json', dir], 3);

  console.log(`\nCold start of one spawned process (median of ${RUNS}):`);
  spawnTimes('node -e "" (baseline)', ['-e', ''], RUNS);
  for (const [label, argv] of entries) {
    spawnTimes(`${label} --version`, [...argv, '--version'], RUNS);
    spawnTimes(`${label} lint model.json (Keras 2)`, [...argv, 'lint', join(dir, 'model_0001.json')], RUNS);
    spawnTimes(`${label} lint model.keras`, [...argv, 'lint', join(dir, 'model_0000.keras')], RUNS);
    spawnTimes(`${label} lint model.h5 (loads h5wasm)`, [...argv, 'lint', join(dir, 'model_0004.h5')], RUNS);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

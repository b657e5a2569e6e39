import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile, writeKerasArchive, type JsonObject } from '@strata/graph';
import { allRules } from '@strata/lint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from './cli.js';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(PACKAGE_DIR, '../..');
const REAL_MODELS = resolve(REPO_ROOT, '../shared/fixtures/real-models');
const HAVE_REAL_MODELS = existsSync(REAL_MODELS);

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { cwd?: string; tty?: boolean; env?: Record<string, string> } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: options.cwd ?? dir,
    env: options.env ?? {},
    stdoutIsTTY: options.tty ?? false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

const layer = (className: string, name: string, config: JsonObject = {}): JsonObject => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, dtype: 'float32', ...config },
  registered_name: null,
});

function sequential(name: string, layers: JsonObject[]): JsonObject {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name,
      trainable: true,
      layers: [layer('InputLayer', 'input_layer', { batch_shape: [null, 8] }), ...layers],
    },
    registered_name: null,
  };
}

const dense = (name: string, units: number, activation = 'relu'): JsonObject =>
  layer('Dense', name, { units, activation, use_bias: true });
const dropout = (name: string, rate: number): JsonObject =>
  layer('Dropout', name, { rate, seed: null, noise_shape: null });

const CLEAN = sequential('clean', [dense('hidden', 16), dense('out', 3, 'linear')]);
/** Dropout after the softmax output: an error in the recommended preset. */
const BROKEN = sequential('broken', [dense('hidden', 16), dense('probs', 3, 'softmax'), dropout('late', 0.5)]);
/** A rate-0 Dropout: a finding with a safe fix (remove it). */
const FIXABLE = sequential('fixable', [dense('hidden', 16), dropout('noop', 0), dense('out', 3, 'linear')]);

function writeJson(name: string, json: JsonObject): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(json));
  return path;
}

beforeAll(() => {
  writeJson('clean.json', CLEAN);
  writeJson('broken.json', BROKEN);
  writeFileSync(join(dir, 'empty.keras'), '');
  writeFileSync(join(dir, 'truncated.json'), JSON.stringify(CLEAN).slice(0, 40));
  writeFileSync(join(dir, 'picture.h5'), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  writeFileSync(join(dir, 'corrupt.keras'), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9, 9, 9]));
});

describe('strata (in-process)', () => {
  it('prints the version from package.json and help', async () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['lint', 'explain', 'rules', 'summary', 'inspect', 'convert', 'codegen', 'plot-model'])
      expect(help.stdout).toContain(command);
    expect((await cli(['convert', '--help'])).stdout).toMatch(/Usage: strata convert[\s\S]*atomically/);
    const lintHelp = await cli(['lint', '--help']);
    expect(lintHelp.code).toBe(0);
    expect(lintHelp.stdout).toMatch(/--max-warnings[\s\S]*--fix-unsafe[\s\S]*Exit codes/);
  });

  it('exits 2 with one line (no stack) for usage errors', async () => {
    for (const argv of [
      [],
      ['frobnicate'],
      ['lint'],
      ['lint', '--bogus', 'x.json'],
      ['lint', '--format', 'xml', 'x.json'],
      ['lint', '--max-warnings', 'many', 'x.json'],
    ]) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await cli(['lint', '--format', 'xml', 'x.json'])).stderr).toMatch(
      /--format must be one of stylish, json, sarif/,
    );
  });

  it('exits 0 on a clean model and prints nothing', async () => {
    expect(await cli(['lint', 'clean.json'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 on errors and names the layer and rule', async () => {
    const result = await cli(['lint', 'broken.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken\.json[\s\S]*late \(Dropout\)[\s\S]*no-dropout-after-probabilities/);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('exits 2 for empty, truncated, wrong-format and corrupt files, naming each, and still lints the others', async () => {
    const result = await cli([
      'lint',
      'empty.keras',
      'truncated.json',
      'picture.h5',
      'corrupt.keras',
      'missing.h5',
      'broken.json',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/empty\.keras\n\s+error\s+is empty/);
    expect(result.stdout).toMatch(/truncated\.json\n\s+error\s+.*not valid JSON/);
    expect(result.stdout).toMatch(/picture\.h5\n\s+error\s+is not a model file/);
    expect(result.stdout).toMatch(/corrupt\.keras\n\s+error\s+is a corrupt or truncated zip/);
    expect(result.stdout).toMatch(/missing\.h5\n\s+error\s+does not exist/);
    expect(result.stdout).toContain('no-dropout-after-probabilities');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when a glob matches nothing', async () => {
    const result = await cli(['lint', 'nothing/**/*.keras', 'clean.json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/nothing\/\*\*\/\*\.keras\n\s+error\s+no files match/);
  });

  it('expands globs and directories', async () => {
    writeJson('globbed/a/one.json', CLEAN);
    writeJson('globbed/b/two.json', BROKEN);
    writeJson('globbed/b/package.json', { name: 'not-a-model' });
    writeFileSync(join(dir, 'globbed/b/two_weights.h5'), '');
    const viaGlob = await cli(['lint', '--format', 'json', 'globbed/**/{one,two}.json']);
    expect((JSON.parse(viaGlob.stdout) as { source: string }[]).map((r) => r.source)).toEqual([
      'globbed/a/one.json',
      'globbed/b/two.json',
    ]);
    const viaDirectory = await cli(['lint', '--format', 'json', 'globbed']);
    expect((JSON.parse(viaDirectory.stdout) as { source: string }[]).map((r) => r.source)).toEqual([
      'globbed/a/one.json',
      'globbed/b/two.json',
    ]);
  });

  it('counts warnings against --max-warnings and hides them with --quiet', async () => {
    const warnOnly = writeJson(
      'warn.json',
      sequential('warn', [dense('hidden', 16), dropout('d1', 0.3), dropout('d2', 0.3), dense('out', 3, 'linear')]),
    );
    const base = await cli(['lint', '--format', 'json', warnOnly]);
    const findings = (JSON.parse(base.stdout) as { findings: { severity: string }[] }[])[0]!.findings;
    expect(findings.some((f) => f.severity === 'warn')).toBe(true);
    expect(findings.some((f) => f.severity === 'error')).toBe(false);
    expect(base.code).toBe(0);
    expect((await cli(['lint', '--max-warnings', '0', warnOnly])).code).toBe(1);
    expect((await cli(['lint', '--max-warnings', '100', warnOnly])).code).toBe(0);
    expect((await cli(['lint', '--quiet', warnOnly])).stdout).toBe('');
  });

  it('writes parseable JSON and SARIF 2.1.0, also to --output-file', async () => {
    const json = await cli(['lint', '--format', 'json', 'broken.json', 'empty.keras']);
    const parsed = JSON.parse(json.stdout) as { source: string; fatal?: string; findings: { ruleId: string }[] }[];
    expect(parsed.map((r) => r.source)).toEqual(['broken.json', 'empty.keras']);
    expect(parsed[0]!.findings.map((f) => f.ruleId)).toContain('no-dropout-after-probabilities');
    expect(parsed[1]!.fatal).toMatch(/is empty/);
    expect(json.stderr).toMatch(/empty\.keras: is empty/);
    const sarif = await cli(['lint', '-f', 'sarif', '-o', 'report.sarif', 'broken.json']);
    expect(sarif.code).toBe(1);
    expect(sarif.stdout).toBe('');
    const log = JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain('no-dropout-after-probabilities');
  });

  it('colours only on a TTY without NO_COLOR', async () => {
    expect((await cli(['lint', 'broken.json'], { tty: true })).stdout).toContain('\u001b[');
    expect((await cli(['lint', 'broken.json'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await cli(['lint', '--color', 'broken.json'])).stdout).toContain('\u001b[');
  });

  it('discovers strata-lint.json in cwd, and exits 2 on a config error naming the file', async () => {
    const project = join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'model.json'), JSON.stringify(BROKEN));
    expect((await cli(['lint', 'model.json'], { cwd: project })).code).toBe(1);
    writeFileSync(
      join(project, 'strata-lint.json'),
      JSON.stringify({ rules: { 'no-dropout-after-probabilities': 'off', 'no-trailing-dropout': 'off' } }),
    );
    expect((await cli(['lint', 'model.json'], { cwd: project })).code).toBe(0);
    writeFileSync(join(project, 'strata-lint.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
    const bad = await cli(['lint', 'model.json'], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/strata-lint\.json.*no-such-rule/);
    const explicit = await cli(['lint', '--config', 'nope.json', 'model.json'], { cwd: project });
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toMatch(/nope\.json/);
  });

  it('--fix rewrites a .keras copy (config only, weights kept) and re-lints it', async () => {
    const target = join(dir, 'fixable.keras');
    const weights = [
      { path: 'k', layerName: 'hidden', shape: [8, 16], dtype: 'float32', data: new Float32Array(128).fill(0.5) },
      { path: 'b', layerName: 'hidden', shape: [16], dtype: 'float32', data: new Float32Array(16) },
    ];
    await writeKerasArchive(target, { config: FIXABLE, weights });
    const before = await cli(['lint', '--format', 'json', target]);
    const finding = (
      JSON.parse(before.stdout) as { findings: { ruleId: string; fix?: { kind: string } }[] }[]
    )[0]!.findings.find((f) => f.ruleId === 'dropout-rate-zero');
    expect(finding?.fix?.kind).toBe('safe');
    const fixed = await cli(['lint', '--fix', target]);
    expect(fixed.stderr).toMatch(/fixed 1 problem in .*fixable\.keras/);
    expect(fixed.code).toBe(0);
    const file = await readModelFile(target);
    expect(file.model.layers.map((l) => l.name)).toEqual(['input_layer', 'hidden', 'out']);
    expect((await file.weights!()).map((w) => w.shape)).toEqual([[8, 16], [16]]);
  });

  it('explains a rule, suggests ids for a typo, and lists all rules', async () => {
    const explained = await cli(['explain', 'no-dropout-after-probabilities']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^no-dropout-after-probabilities — [\s\S]*Why:[\s\S]*How to fix:/);
    const typo = await cli(['explain', 'no-dropout-after-probability']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean no-dropout-after-probabilities/);
    const rules = await cli(['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout.split('\n')[0]).toMatch(/^id\s+category\s+recommended\s+strict/);
    for (const rule of allRules()) expect(rules.stdout).toContain(rule.id);
    expect(JSON.parse((await cli(['rules', '--json'])).stdout)).toHaveLength(allRules().length);
  });

  it('summarises a model from its config, and exits 2 on an unreadable file', async () => {
    const result = await cli(['summary', 'clean.json']);
    expect(result.code).toBe(0);
    // Dense 8→16: 8*16+16 = 144; Dense 16→3: 51.
    expect(result.stdout).toMatch(/hidden \(Dense\)\s+│ \(None, 16\)\s+│\s+144 │/);
    expect(result.stdout).toMatch(/out \(Dense\)\s+│ \(None, 3\)\s+│\s+51 │/);
    expect(result.stdout).toContain('Total params: 195 (780.00 B)');
    const bad = await cli(['summary', 'empty.keras']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/empty\.keras: is empty/);
  });
});

describe.skipIf(!HAVE_REAL_MODELS)(`strata on the real models (needs ${REAL_MODELS}; skipped when absent)`, () => {
  it('lints every real model; the weights-only .h5 is the only unreadable one', async () => {
    const result = await cli([
      'lint',
      '--format',
      'json',
      join(REAL_MODELS, '*.{keras,h5,json}'),
      join(REAL_MODELS, 'tfjs_layers_model/model.json'),
    ]);
    const parsed = JSON.parse(result.stdout) as { source: string; fatal?: string; findings: { ruleId: string }[] }[];
    expect(parsed).toHaveLength(9);
    expect(parsed.filter((r) => r.fatal).map((r) => r.source)).toEqual([
      join(REAL_MODELS, 'hls4ml_KERAS_conv2d_model_weights.h5'),
    ]);
    const bySource = (name: string): string[] =>
      parsed.find((r) => r.source.endsWith(name))!.findings.map((f) => f.ruleId);
    expect(bySource('dl4j_mlp_0.h5')).toContain('no-dropout-after-probabilities');
    expect(bySource('dl4j_wgan_discriminator.h5')).toContain('no-dropout-before-batchnorm');
    expect(result.code).toBe(2);
  });

  it('summarises fashion_mnist_cnn.keras from its weights (--weights) like Keras (121,930 params)', async () => {
    const result = await cli(['summary', '--weights', join(REAL_MODELS, 'fashion_mnist_cnn.keras')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/conv2d_1 \(Conv2D\)\s+│ \(None, 11, 11, 64\)\s+│\s+18,496 │/);
    expect(result.stdout).toContain('Total params: 121,930 (476.29 KB)');
    expect(result.stdout).toContain('from the weights stored in the file');
    // The config-only count agrees with the stored weights.
    const fromConfig = await cli(['summary', '--no-weights', join(REAL_MODELS, 'fashion_mnist_cnn.keras')]);
    expect(fromConfig.stdout).toContain('Total params: 121,930 (476.29 KB)');
    expect(fromConfig.stdout).toContain('computed from the config');
  });

  it('summarises a functional legacy .h5 with a Connected to column, and BatchNormalization statistics as non-trainable', async () => {
    const functional = await cli(['summary', join(REAL_MODELS, 'dl4j_mlp_0.h5')]);
    expect(functional.stdout).toMatch(/Connected to/);
    expect(functional.stdout).toMatch(/dense \(Dense\)\s+│ \(None, 6\)\s+│\s+24 │ input_1\[0\]\[0\]/);
    const wgan = await cli(['summary', join(REAL_MODELS, 'dl4j_wgan_discriminator.h5')]);
    expect(wgan.stdout).toContain('Non-trainable params: 192 (768.00 B)');
  });

  it('--fix on a temp copy of a legacy .h5 keeps it readable', async () => {
    const copy = join(dir, 'wgan-copy.h5');
    copyFileSync(join(REAL_MODELS, 'dl4j_wgan_discriminator.h5'), copy);
    const result = await cli(['lint', '--fix-unsafe', copy]);
    expect(result.code).not.toBe(2);
    expect(result.stderr).toMatch(/fixed \d+ problems? in .*wgan-copy\.h5/);
    expect(result.stdout).not.toContain('no-dropout-on-conv-feature-maps');
    const file = await readModelFile(copy);
    expect(file.format).toBe('keras-h5');
    expect(file.model.layers.find((l) => l.name === 'dropout_1')?.className).toBe('SpatialDropout2D');
    expect((await file.weights!()).length).toBe(16);
  });
});

describe('strata as a process', () => {
  it('never loads TF.js (nor h5wasm for a JSON model) — checked with module-resolution hooks', () => {
    const log = join(dir, 'modules.log');
    const child = spawnSync(
      process.execPath,
      [
        '--conditions=strata-source',
        '--import',
        'tsx',
        '--import',
        join(PACKAGE_DIR, 'test-support/record-module-loads.mjs'),
        join(PACKAGE_DIR, 'src/main.ts'),
        'lint',
        join(dir, 'broken.json'),
      ],
      // Run from the repo so that `tsx` resolves.
      { cwd: REPO_ROOT, env: { ...process.env, STRATA_MODULE_LOG: log, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((url) => url.includes('/packages/lint/src/'))).toBe(true);
    // Our own codec files are called tfjs.ts; TF.js itself would come from node_modules.
    expect(modules.filter((url) => url.includes('node_modules') && /tfjs|tensorflow/i.test(url))).toEqual([]);
    expect(modules.some((url) => url.includes('node_modules') && url.includes('fflate'))).toBe(true);
    expect(modules.filter((url) => url.includes('h5wasm'))).toEqual([]);
  });

  it('inspect, convert, codegen and plot-model never load TF.js either', () => {
    const fixture = join(PACKAGE_DIR, 'src/fixtures/seq2seq.keras');
    const commands = [
      ['inspect', fixture],
      ['convert', fixture, join(dir, 'process.json')],
      ['codegen', fixture],
      ['plot-model', fixture, join(dir, 'process.svg')],
    ];
    for (const argv of commands) {
      const log = join(dir, `modules-${argv[0]}.log`);
      const child = spawnSync(
        process.execPath,
        [
          '--conditions=strata-source',
          '--import',
          'tsx',
          '--import',
          join(PACKAGE_DIR, 'test-support/record-module-loads.mjs'),
          join(PACKAGE_DIR, 'src/main.ts'),
          ...argv,
        ],
        { cwd: REPO_ROOT, env: { ...process.env, STRATA_MODULE_LOG: log, NO_COLOR: '1' }, encoding: 'utf8' },
      );
      expect(child.status, `${argv[0]}: ${child.stderr}`).toBe(0);
      const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(
        modules.filter((url) => url.includes('node_modules') && /tfjs|tensorflow/i.test(url)),
        argv[0],
      ).toEqual([]);
    }
  }, 120_000);
});

/**
 * Issue 8: `strata summary` and `strata lint` need only a `.keras`'s config.json/metadata.json,
 * so they never inflate model.weights.h5 (a hostile member could be a bomb or corrupt);
 * summary counts parameters from the config unless `--weights` is given. The config counts
 * must agree with the weights Keras stored, for every golden and real model.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// The zip writer is internal to @strata/graph; the test builds hostile archives with it.
import { writeZip } from '../../graph/src/files/zip.js';
import { runCli } from './run-in-process.test-suite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHARED = resolve(HERE, '../../../../shared');
const GOLDEN_CASES = join(SHARED, 'keras3-golden/cases');
const REAL_MODELS = join(SHARED, 'fixtures/real-models');
const HAVE_SHARED = existsSync(GOLDEN_CASES) && existsSync(REAL_MODELS);
if (!HAVE_SHARED)
  console.warn(`summary-config-counts: ${SHARED} is absent; the golden/real-model comparison is skipped`);

const dir = mkdtempSync(join(tmpdir(), 'strata-summary-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const total = (text: string): string | undefined => /Total params: .*/.exec(text)?.[0];
const nonTrainable = (text: string): string | undefined => /Non-trainable params: .*/.exec(text)?.[0];

const CONFIG = JSON.stringify({
  module: 'keras',
  class_name: 'Sequential',
  registered_name: null,
  config: {
    name: 'tiny',
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        registered_name: null,
        config: { name: 'in', batch_shape: [null, 8], dtype: 'float32' },
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        registered_name: null,
        config: { name: 'dense', units: 4, activation: 'softmax', trainable: true },
      },
    ],
  },
});

/** A .keras whose model.weights.h5 member is written by `weights` and then patched by `patch`. */
function kerasWith(
  name: string,
  weights: Uint8Array,
  patch: (zip: Uint8Array, view: DataView, entry: number) => void,
): string {
  const zip = writeZip([
    ['metadata.json', new TextEncoder().encode('{"keras_version":"3.15.1"}'), false],
    ['config.json', new TextEncoder().encode(CONFIG), false],
    ['model.weights.h5', weights, false],
  ]);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const member = new TextEncoder().encode('model.weights.h5');
  let entry = -1;
  for (let at = zip.length - 22; at >= 0 && entry < 0; at--) {
    if (view.getUint32(at, true) === 0x02014b50 && member.every((b, i) => zip[at + 46 + i] === b)) entry = at;
  }
  expect(entry).toBeGreaterThan(0);
  patch(zip, view, entry);
  writeFileSync(join(dir, name), zip);
  return join(dir, name);
}

describe('strata summary and strata lint never inflate model.weights.h5', () => {
  // 64 MiB of zeros deflate to ~64 KiB (a 1000× bomb, under the size floor of the zip-bomb check)
  // and its CRC-32 is wrong: inflating it allocates 64 MiB and then fails.
  const bomb = kerasWith('bomb-weights.keras', new Uint8Array(64 * 2 ** 20), (_zip, view, entry) =>
    view.setUint32(entry + 16, 0xdeadbeef, true),
  );
  // Garbage instead of a deflate stream: inflating it fails at once.
  const corrupt = kerasWith('corrupt-weights.keras', new Uint8Array(4096).fill(1), (zip, view, entry) => {
    const local = view.getUint32(entry + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    zip.fill(0xff, start, start + view.getUint32(entry + 20, true));
  });

  for (const [what, file] of [
    ['a corrupt-CRC deflate bomb', bomb],
    ['a garbage deflate stream', corrupt],
  ] as const) {
    it(`summary counts from the config when model.weights.h5 is ${what}`, async () => {
      for (const argv of [
        ['summary', file],
        ['summary', '--no-weights', file],
      ]) {
        const result = await runCli(argv, dir);
        expect(result.code, argv.join(' ')).toBe(0);
        // Dense 8 → 4: 36, and no note about weights that could not be read.
        expect(result.stdout).toMatch(/dense \(Dense\)\s+│ \(None, 4\)\s+│\s+36 │/);
        expect(result.stdout).toContain('(parameter counts computed from the config)');
        expect(result.stdout).not.toContain('note:');
        expect(result.stderr).toBe('');
      }
    });

    it(`summary --weights does read the member (and notes that ${what} cannot be read)`, async () => {
      const result = await runCli(['summary', '--weights', file], dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/note: weights not read \(.*model\.weights\.h5.*\); counted from the config/);
    });

    it(`lint reads only config.json when model.weights.h5 is ${what}`, async () => {
      const result = await runCli(['lint', '--format', 'json', file], dir);
      expect(result.stderr).toBe('');
      const [report] = JSON.parse(result.stdout) as { fatal?: string }[];
      expect(report!.fatal).toBeUndefined();
      expect(result.code).toBe(0);
    });
  }
});

describe.skipIf(!HAVE_SHARED)(
  `summary's config counts equal the stored weights for every golden and real model (needs ${SHARED})`,
  () => {
    const files = HAVE_SHARED
      ? [
          ...readdirSync(GOLDEN_CASES).flatMap((name) =>
            ['model.keras', 'model.h5'].map((file) => join(GOLDEN_CASES, name, file)),
          ),
          ...readdirSync(REAL_MODELS)
            .filter((name) => /\.(keras|h5|json)$/.test(name) && !name.endsWith('_weights.h5'))
            .map((name) => join(REAL_MODELS, name)),
          join(REAL_MODELS, 'tfjs_layers_model/model.json'),
        ].filter((file) => existsSync(file))
      : [];

    it('finds the goldens and the real models', () => {
      expect(files.length).toBeGreaterThanOrEqual(48 + 8);
    });

    it.each(files.map((file) => [file.slice(SHARED.length + 1), file]))('%s', async (_name, file) => {
      const fromConfig = await runCli(['summary', file], dir);
      const fromWeights = await runCli(['summary', '--weights', file], dir);
      expect(fromConfig.code).toBe(0);
      expect(fromConfig.stdout).toContain('computed from the config');
      expect(fromConfig.stdout).not.toMatch(/unknown size|note:|│\s+\? │/);
      // Every file holds weights except the Keras 2 to_json() config without a sibling weights file.
      if (!file.endsWith('dl4j_keras2_mlp_config.json'))
        expect(fromWeights.stdout).toContain('from the weights stored in the file');
      expect(total(fromConfig.stdout)).toBe(total(fromWeights.stdout));
      expect(nonTrainable(fromConfig.stdout)).toBe(nonTrainable(fromWeights.stdout));
    });
  },
);

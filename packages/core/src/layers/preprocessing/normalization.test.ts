import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { loadModel, saveModel } from '../../saving/model-file.js';
import { expectClose, expectConfigRoundTrip } from '../core/layer-test-kit.test-suite.js';
import { Normalization } from './normalization.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
interface GoldenCase {
  model: string;
  x: number[];
  y: number[];
  normalization_weights: Record<string, number[][]>;
}
const CASES = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Record<string, GoldenCase>;
const NAMES = Object.keys(CASES).filter((name) => !name.startsWith('_'));
const ORACLE = '/tmp/keras-oracle/kenv.sh';
const HAVE_ORACLE = existsSync(ORACLE);
if (!HAVE_ORACLE)
  console.warn(`SKIPPED: no Keras oracle at ${ORACLE}; Keras does not re-read Strata's Normalization files here`);
const dir = mkdtempSync(join(tmpdir(), 'strata-normalization-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Normalization', () => {
  it('adapts mean and variance per feature (axis -1) and normalizes; invert undoes it', async () => {
    const data = [
      [1, 10],
      [3, 30],
      [5, 20],
      [7, 40],
    ];
    const layer = new Normalization();
    await layer.adapt(data);
    expect(Array.from(layer.adaptMean!.value.dataSync())).toEqual([4, 25]);
    expectClose(layer.adaptVariance!.value, [5, 125]);
    const x = tf.tensor([
      [4, 25],
      [6, 30],
    ]);
    const before = tf.memory().numTensors;
    const y = layer.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expectClose(y, [
      [0, 0],
      [2 / Math.sqrt(5), 5 / Math.sqrt(125)],
    ]);
    const back = new Normalization({ mean: [4, 25], variance: [5, 125], invert: true });
    const z = back.apply(y);
    expectClose(
      z,
      [
        [4, 25],
        [6, 30],
      ],
      1e-5,
    );
    tf.dispose([x, y, z]);
    layer.dispose();
    back.dispose();
  });

  it('combines an async iterable of batches exactly like one array', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [Math.sin(i) * 3, i * i * 0.1]);
    const whole = new Normalization();
    await whole.adapt(rows);
    const batched = new Normalization();
    await batched.adapt(
      (async function* () {
        yield tf.tensor(rows.slice(0, 5));
        yield rows.slice(5, 7);
        yield { x: tf.tensor(rows.slice(7)) };
      })(),
    );
    expectClose(batched.adaptMean!.value, Array.from(whole.adaptMean!.value.dataSync()), 1e-6);
    expectClose(batched.adaptVariance!.value, Array.from(whole.adaptVariance!.value.dataSync()), 1e-5);
  });

  it('writes Keras config keys and refuses bad options', () => {
    const layer = new Normalization({ axis: [1, 2], mean: [1, 2], variance: [3, 4] });
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'invert',
      'mean',
      'variance',
    ]);
    expectConfigRoundTrip(layer);
    expect(new Normalization({ axis: null }).kerasConfig()['axis']).toEqual([]);
    expect(() => new Normalization({ mean: [1] })).toThrow(/give both mean and variance, or neither/);
    expect(() => new Normalization({ mean: [[1]], variance: [[1]] })).toThrow(
      /rank of mean \(2\) must be at most the number of axes \(1\)/,
    );
    expect(() => new Normalization({ axis: 3 }).maybeBuild([null, 2])).toThrow(
      /axis values must be in \[-2, 2\) for inputs of rank 2/,
    );
  });

  it.each(NAMES)(
    "loads %s written by real Keras 3 and predicts its outputs (≤ 1e-6), then round-trips Strata's save",
    async (name) => {
      const golden = CASES[name]!;
      const before = tf.memory().numTensors;
      const model = await loadModel(join(FIXTURES, golden.model));
      const x = tf.tensor(golden.x);
      const y = model.predict(x) as tf.Tensor;
      expectClose(y, golden.y as never, 1e-6 * Math.max(1, ...y.dataSync().map(Math.abs)));
      for (const [layerName, weights] of Object.entries(golden.normalization_weights)) {
        const layer = model.getLayer(layerName);
        expect(layer.weights.map((w) => w.value.arraySync())).toEqual(weights);
      }
      const path = join(dir, `${name}.keras`);
      await saveModel(model, path);
      const again = await loadModel(path);
      const y2 = again.predict(x) as tf.Tensor;
      expectClose(y2, golden.y as never, 1e-6 * Math.max(1, ...y2.dataSync().map(Math.abs)));
      tf.dispose([x, y, y2]);
      model.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.skipIf(!HAVE_ORACLE)(
    'real Keras 3 loads the Normalization models Strata saves and predicts the same outputs',
    () => {
      const jobs = NAMES.map((name) => [join(dir, `${name}.keras`), CASES[name]!.x, CASES[name]!.y]);
      const script = `
import json, sys, numpy as np, keras
worst = 0.0
for path, x, y in json.load(open(sys.argv[1])):
    p = keras.saving.load_model(path).predict(np.array(x, dtype="float32"), verbose=0)
    worst = max(worst, float(np.abs(p - np.array(y)).max()))
print(worst)
`;
      const jobsFile = join(dir, 'jobs.json');
      execFileSync('bash', ['-c', `cat > ${jobsFile}`], { input: JSON.stringify(jobs) });
      const out = execFileSync('bash', ['-c', `. ${ORACLE} && "$PY" -c '${script}' ${jobsFile}`], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim()
        .split('\n');
      expect(Number(out[out.length - 1])).toBeLessThanOrEqual(1e-5);
    },
    300_000,
  );

  it('works in a Sequential model on adapted data', async () => {
    const norm = new Normalization();
    await norm.adapt(tf.tensor([[0], [2]]));
    const model = new Sequential([Input([1]), norm]);
    const x = tf.tensor([[1], [3]]);
    const y = model.predict(x) as tf.Tensor;
    expectClose(y, [[0], [2]]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

/**
 * `hard_sigmoid` changed meaning in Keras 3 (relu6(x + 3) / 6); Keras 2 and TF.js computed
 * clip(0.2·x + 0.5, 0, 1), and their LSTM/GRU files use it as recurrent activation. Files written
 * by Keras < 3 or TF.js load with the activation `hard_sigmoid_legacy` (the formula they were
 * written with), visible in the config and kept when saved and loaded again.
 * Expected values: fixtures/legacy-hard-sigmoid.fixture.py (NumPy LSTM on the real file's weights).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeModelConfig, readModelFile, type JsonObject } from '@strata/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { getActivation } from '../activations/index.js';
import type { Functional } from '../engine/functional.js';
import type { Model } from '../engine/model.js';
import { kerasConfigOf, loadModel, modelFromIR, saveModel } from './index.js';

const realLstm = new URL(
  '../../../../../shared/fixtures/real-models/dl4j_simple_lstm_tf_keras_2_model.h5',
  import.meta.url,
).pathname;
const realTfjs = new URL('../../../../../shared/fixtures/real-models/tfjs_layers_model/model.json', import.meta.url)
  .pathname;
const HAVE_REAL = existsSync(realLstm) && existsSync(realTfjs);
if (!HAVE_REAL)
  console.warn(
    `legacy-hard-sigmoid.test.ts: ../shared/fixtures/real-models is absent; the real-file cases are skipped`,
  );
const expected = JSON.parse(
  readFileSync(new URL('./fixtures/legacy-hard-sigmoid.expected.json', import.meta.url), 'utf8'),
) as {
  input_shape: number[];
  input: number[];
  output: number[];
  output_keras3_formula: number[];
};
const dir = mkdtempSync(join(tmpdir(), 'strata-hard-sigmoid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

function recurrentActivationOf(model: Functional): unknown {
  const layers = (kerasConfigOf(model)['config'] as JsonObject)['layers'] as JsonObject[];
  const lstm = layers.find((l) => l['class_name'] === 'LSTM')!;
  return (lstm['config'] as JsonObject)['recurrent_activation'];
}

/** A GRU model config with hard_sigmoid, in the form `format` writes it. */
function gruConfig(format: 'keras2' | 'keras3' | 'tfjs'): JsonObject {
  const gru = {
    name: 'gru',
    units: 2,
    activation: 'tanh',
    recurrent_activation: 'hard_sigmoid',
    return_sequences: false,
    reset_after: false,
    batch_input_shape: [null, 3, 1],
  };
  if (format === 'keras3') {
    return {
      module: 'keras',
      class_name: 'Sequential',
      registered_name: null,
      config: {
        name: 's',
        trainable: true,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 3, 1], dtype: 'float32', sparse: false, name: 'in' },
            registered_name: null,
          },
          {
            module: 'keras.layers',
            class_name: 'GRU',
            config: { ...gru, batch_input_shape: undefined },
            registered_name: null,
          },
        ],
      },
    } as unknown as JsonObject;
  }
  const topology = {
    class_name: 'Sequential',
    config: { name: 's', layers: [{ class_name: 'GRU', config: gru }] },
    keras_version: format === 'tfjs' ? 'tfjs-layers 4.22.0' : '2.2.4',
    backend: format === 'tfjs' ? 'tensor_flow.js' : 'tensorflow',
  };
  return format === 'tfjs'
    ? ({ format: 'layers-model', modelTopology: topology } as unknown as JsonObject)
    : (topology as unknown as JsonObject);
}

describe('hard_sigmoid of Keras 2 and TF.js files: hard_sigmoid_legacy', () => {
  it("hard_sigmoid_legacy is clip(0.2x + 0.5, 0, 1); hard_sigmoid stays Keras 3's relu6(x + 3) / 6", () => {
    const x = tf.tensor1d([-3, -1, 0, 1, 2, 3]);
    const legacy = getActivation('hard_sigmoid_legacy')(x);
    const keras3 = getActivation('hard_sigmoid')(x);
    expect(Array.from(legacy.dataSync())).toEqual([0, 0.3, 0.5, 0.7, 0.9, 1].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(keras3.dataSync())).toEqual([0, 2 / 6, 0.5, 4 / 6, 5 / 6, 1].map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, legacy, keras3]);
  });

  it.skipIf(!HAVE_REAL)(
    'the real dl4j tf.keras 2 LSTM predicts what Keras 2 computed (NumPy reference), and round-trips',
    async () => {
      const before = tf.memory().numTensors;
      const model: Model = await loadModel(realLstm);
      expect(recurrentActivationOf(model)).toBe('hard_sigmoid_legacy');
      const x = tf.tensor(expected.input, expected.input_shape);
      const y = model.predict(x) as tf.Tensor;
      const values = y.dataSync();
      expect(maxAbsDiff(values, expected.output)).toBeLessThan(1e-5);
      // The Keras 3 formula would be far off on this input (that is what the file did NOT compute).
      expect(maxAbsDiff(values, expected.output_keras3_formula)).toBeGreaterThan(0.1);
      const path = join(dir, 'lstm.keras');
      await saveModel(model, path);
      const again: Model = await loadModel(path);
      expect(recurrentActivationOf(again)).toBe('hard_sigmoid_legacy');
      const y2 = again.predict(x) as tf.Tensor;
      expect(maxAbsDiff(y2.dataSync(), values)).toBe(0);
      tf.dispose([x, y, y2]);
      model.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.skipIf(!HAVE_REAL)(
    'a real TF.js model.json (GRU, recurrent_activation hard_sigmoid) gets hard_sigmoid_legacy',
    async () => {
      const file = await readModelFile(realTfjs);
      const model = modelFromIR(file.model, { compile: false });
      const config = JSON.stringify(kerasConfigOf(model));
      expect(config).toContain('"recurrent_activation":"hard_sigmoid_legacy"');
      expect(config).not.toContain('"hard_sigmoid"');
      model.dispose();
    },
  );

  it.each([
    ['a Keras 2 config', 'keras2', undefined, 'hard_sigmoid_legacy'],
    ['a TF.js model.json', 'tfjs', undefined, 'hard_sigmoid_legacy'],
    ['a Keras 3 config', 'keras3', undefined, 'hard_sigmoid'],
    ['a legacy .h5 written by Keras 3 (keras_version 3.x)', 'keras2', '3.4.1', 'hard_sigmoid'],
  ] as const)('%s → %s', (_, format, writerKerasVersion, activation) => {
    const { model: ir } = decodeModelConfig(gruConfig(format));
    const model = modelFromIR(ir, writerKerasVersion === undefined ? {} : { writerKerasVersion });
    const layers = (kerasConfigOf(model)['config'] as JsonObject)['layers'] as JsonObject[];
    expect((layers.find((l) => l['class_name'] === 'GRU')!['config'] as JsonObject)['recurrent_activation']).toBe(
      activation,
    );
    model.dispose();
  });
});

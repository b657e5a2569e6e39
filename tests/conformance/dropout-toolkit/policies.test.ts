/**
 * Dropout policies rewrite models through the IR: expected layer sequences on Sequential and
 * branched functional models, consumers rewired onto the inserted layer, weights carried over
 * (inference output identical to the original's), and the same on a real Keras 3 file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, tf, type Functional, type Layer } from '@strata/core';
import { loadModel, modelToIR } from '../../../packages/core/src/saving/index.js';
import {
  DropBlock2D,
  DropConnectDense,
  applyDropoutPolicy,
  parseDropoutPolicy,
  planDropoutPolicy,
  replaceConvFeatureMapDropout,
} from '../../../packages/dropout/src/index.js';

const {
  Dense,
  Conv2D,
  Conv1D,
  Conv3D,
  ReLU,
  MaxPooling2D,
  BatchNormalization,
  Flatten,
  Add,
  GlobalAveragePooling2D,
  Dropout,
  LSTM,
} = layers;

function classes(model: Functional): string[] {
  return model.layers.filter((l) => l.className !== 'InputLayer').map((l) => l.className);
}

/** Names of the layers whose outputs a layer's first call consumes. */
function inputsOf(model: Functional, name: string): string[] {
  const ir = modelToIR(model);
  return ir.layers.find((l) => l.name === name)!.nodes[0]!.inputs.map((r) => r.layer);
}

function expectSameInference(original: Model, rebuilt: Model, x: tf.Tensor | tf.Tensor[]): void {
  const a = original.predict(x, { verbose: 0 });
  const b = rebuilt.predict(x, { verbose: 0 });
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(bs.length).toBe(as.length);
  as.forEach((t, i) => expect(bs[i]!.arraySync()).toEqual(t.arraySync()));
}

describe('applyDropoutPolicy on Sequential models', () => {
  it('adds dropout after hidden Dense layers (after their separate activation), never after the output layer', () => {
    const model = new Sequential([
      Input([6]),
      new Dense(8, { activation: 'relu', name: 'h1' }),
      new Dense(8, { name: 'h2' }),
      new ReLU({ name: 'act' }),
      new Dense(3, { activation: 'softmax', name: 'out' }),
    ]);
    const rebuilt = applyDropoutPolicy(model, { afterDense: { kind: 'standard', rate: 0.5, seed: 1 } });
    expect(rebuilt).not.toBe(model);
    expect(rebuilt.layers.map((l) => l.name)).toEqual(['h1', 'h1_dropout', 'h2', 'act', 'act_dropout', 'out']);
    expect(classes(rebuilt)).toEqual(['Dense', 'Dropout', 'Dense', 'ReLU', 'Dropout', 'Dense']);
    expect(rebuilt.getLayer('h1_dropout').getConfig()).toMatchObject({ rate: 0.5, seed: 1 });
    expect(rebuilt.getLayer('act_dropout').getConfig()).toMatchObject({ rate: 0.5, seed: 2 });
    expect(classes(model)).toEqual(['Dense', 'Dense', 'ReLU', 'Dense']);
    expectSameInference(model, rebuilt, tf.randomNormal([5, 6]));
    // Applying the policy again changes nothing: dropout is already there.
    expect(classes(applyDropoutPolicy(rebuilt, { afterDense: { kind: 'standard', rate: 0.5 } }))).toEqual(
      classes(rebuilt),
    );
  });

  it('puts dropout after the normalization and activation that follow a Dense, never on the output edge', () => {
    const model = new Sequential([
      Input([4]),
      new Dense(6, { name: 'h' }),
      new BatchNormalization({ name: 'bn' }),
      new ReLU({ name: 'r' }),
      new Dense(3, { name: 'last' }),
      new BatchNormalization({ name: 'bn_out' }),
    ]);
    const rebuilt = applyDropoutPolicy(model, { afterDense: { kind: 'standard', rate: 0.2 } });
    expect(rebuilt.layers.map((l) => l.name)).toEqual(['h', 'bn', 'r', 'r_dropout', 'last', 'bn_out']);
  });

  it('places dropout after an RMSNormalization block exactly as after a BatchNormalization one', () => {
    const withNorm = (norm: Layer): Sequential =>
      new Sequential([
        Input([4]),
        new Dense(6, { name: 'h' }),
        norm,
        new ReLU({ name: 'r' }),
        new Dense(3, { name: 'last' }),
      ]);
    const bn = applyDropoutPolicy(withNorm(new BatchNormalization({ name: 'norm' })), {
      afterDense: { kind: 'standard', rate: 0.2 },
    });
    const rms = applyDropoutPolicy(withNorm(new layers.RMSNormalization({ name: 'norm' })), {
      afterDense: { kind: 'standard', rate: 0.2 },
    });
    expect(bn.layers.map((l) => l.name)).toEqual(['h', 'norm', 'r', 'r_dropout', 'last']);
    expect(rms.layers.map((l) => l.name)).toEqual(bn.layers.map((l) => l.name));
  });

  it('adds spatial dropout after conv blocks (after pooling / activation), not inside a block, matching rank and format', () => {
    const model = new Sequential([
      Input([10, 10, 2]),
      new Conv2D(3, { kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }),
      new Conv2D(3, { kernelSize: 3, padding: 'same', name: 'c2' }),
      new BatchNormalization({ name: 'bn' }),
      new ReLU({ name: 'r2' }),
      new MaxPooling2D(2, { name: 'pool' }),
      new Conv2D(4, { kernelSize: 3, activation: 'relu', name: 'c3' }),
      new Flatten({ name: 'flat' }),
      new Dense(2, { name: 'out' }),
    ]);
    const rebuilt = applyDropoutPolicy(model, { afterConvBlock: { kind: 'spatial', rate: 0.1 } });
    expect(rebuilt.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      'c1:Conv2D',
      'c2:Conv2D',
      'bn:BatchNormalization',
      'r2:ReLU',
      'pool:MaxPooling2D',
      'pool_dropout:SpatialDropout2D',
      'c3:Conv2D',
      'c3_dropout:SpatialDropout2D',
      'flat:Flatten',
      'out:Dense',
    ]);
    expectSameInference(model, rebuilt, tf.randomNormal([2, 10, 10, 2]));
    const block = applyDropoutPolicy(model, { afterConvBlock: { kind: 'dropblock', rate: 0.1, blockSize: 3 } });
    expect(block.getLayer('pool_dropout')).toBeInstanceOf(DropBlock2D);
  });

  it("follows each conv's rank and channels_first format", () => {
    const model = new Sequential([
      Input([2, 6, 6, 6]),
      new Conv3D(2, { kernelSize: 3, dataFormat: 'channels_first', name: 'c' }),
      new Flatten(),
      new Dense(1),
    ]);
    const sd = applyDropoutPolicy(model, { afterConvBlock: { kind: 'spatial', rate: 0.2 } }).getLayer('c_dropout');
    expect(sd.className).toBe('SpatialDropout3D');
    expect(sd.getConfig()['dataFormat']).toBe('channels_first');
    expect(() => applyDropoutPolicy(model, { afterConvBlock: { kind: 'dropblock', rate: 0.1, blockSize: 3 } })).toThrow(
      /needs 2D convolutions; conv "c" is 3D/,
    );
    expect(() => applyDropoutPolicy(model, { afterConvBlock: { kind: 'spatial', rate: 0.1, rank: 2 } })).toThrow(
      /afterConvBlock\.rank is 2, but conv "c" is 3D/,
    );
  });

  it('replaces hidden Dense layers by DropConnectDense (weights kept) and sets RNN rates', () => {
    const model = new Sequential([
      Input([4, 3]),
      new LSTM(5, { name: 'rnn' }),
      new Dense(4, { activation: 'tanh', name: 'h' }),
      new Dense(1, { name: 'out' }),
    ]);
    const rebuilt = applyDropoutPolicy(model, {
      afterDense: { kind: 'dropconnect', rate: 0.3 },
      recurrent: { inputRate: 0.2, recurrentRate: 0.2 },
    });
    expect(rebuilt.getLayer('h')).toBeInstanceOf(DropConnectDense);
    expect(rebuilt.getLayer('out').className).toBe('Dense');
    expect(rebuilt.getLayer('rnn').getConfig()).toMatchObject({ dropout: 0.2, recurrentDropout: 0.2 });
    const x = tf.randomNormal([3, 4, 3]);
    const a = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const b = rebuilt.predict(x, { verbose: 0 }) as tf.Tensor;
    Array.from(b.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(a.dataSync()[i]!, 5));
  });
});

describe('applyDropoutPolicy on branched functional models', () => {
  it('inserts on an edge with several consumers: every consumer now reads the dropout layer', () => {
    const input = Input([5], { name: 'x' });
    const h = new Dense(6, { activation: 'relu', name: 'h' }).apply(input);
    const out1 = new Dense(1, { name: 'out1' }).apply(h);
    const h2 = new Dense(4, { activation: 'relu', name: 'h2' }).apply(h);
    const out2 = new Dense(2, { activation: 'softmax', name: 'out2' }).apply(h2);
    const model = new Model({ inputs: input, outputs: [out1, out2] });
    const rebuilt = applyDropoutPolicy(model, { afterDense: { kind: 'gaussian', rate: 0.2 } });
    expect(inputsOf(rebuilt, 'h_dropout')).toEqual(['h']);
    expect(inputsOf(rebuilt, 'out1')).toEqual(['h_dropout']);
    expect(inputsOf(rebuilt, 'h2')).toEqual(['h_dropout']);
    expect(inputsOf(rebuilt, 'out2')).toEqual(['h2_dropout']);
    expect(rebuilt.getLayer('h_dropout').className).toBe('GaussianDropout');
    expect(() => rebuilt.getLayer('out1_dropout')).toThrow(/has no layer/);
    expectSameInference(model, rebuilt, tf.randomNormal([3, 5]));
  });

  it('puts conv-block dropout on the residual branch before the Add, the shortcut untouched', () => {
    const input = Input([6, 6, 2]);
    const c1 = new Conv2D(3, { kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(input);
    const c2 = new Conv2D(3, { kernelSize: 3, padding: 'same', name: 'c2' }).apply(c1);
    const sum = new Add({ name: 'add' }).apply([c1, c2]);
    const pooled = new GlobalAveragePooling2D({ name: 'gap' }).apply(new ReLU({ name: 'r' }).apply(sum));
    const model = new Model({ inputs: input, outputs: new Dense(2, { name: 'out' }).apply(pooled) });
    const rebuilt = applyDropoutPolicy(model, { afterConvBlock: { kind: 'spatial', rate: 0.1 } });
    expect(inputsOf(rebuilt, 'add')).toEqual(['c1', 'c2_dropout']);
    expect(inputsOf(rebuilt, 'c2')).toEqual(['c1']);
    expect(rebuilt.getLayer('c2_dropout').className).toBe('SpatialDropout2D');
    expect(() => rebuilt.getLayer('c1_dropout')).toThrow(/has no layer/);
    expectSameInference(model, rebuilt, tf.randomNormal([2, 6, 6, 2]));
  });
});

describe('policies on nested models', () => {
  it('edit the nested model too (judged by its own outputs) and carry its weights over', () => {
    const trunk = new Sequential(
      [Input([4]), new Dense(6, { activation: 'relu', name: 't1' }), new Dense(5, { name: 't2' })],
      { name: 'trunk' },
    );
    const input = Input([4]);
    const model = new Model({
      inputs: input,
      outputs: new Dense(2, { name: 'head' }).apply(new Dense(3, { name: 'mid' }).apply(trunk.apply(input))),
    });
    const ir = modelToIR(model);
    const edits = planDropoutPolicy(ir, { afterDense: { kind: 'standard', rate: 0.2 } });
    expect(edits.map((e) => e.layer)).toEqual(['mid_dropout', 'trunk/t1_dropout']);
    const rebuilt = applyDropoutPolicy(model, { afterDense: { kind: 'standard', rate: 0.2 } });
    expect((rebuilt.getLayer('trunk') as Sequential).layers.map((l) => l.name)).toEqual(['t1', 't1_dropout', 't2']);
    expectSameInference(model, rebuilt, tf.randomNormal([3, 4]));
  });
});

describe('replaceConvFeatureMapDropout', () => {
  it('swaps Dropout on conv feature maps for SpatialDropout{N}D and leaves Dropout on dense features alone', () => {
    const model = new Sequential([
      Input([8, 8, 1]),
      new Conv2D(2, { kernelSize: 3, name: 'c' }),
      new ReLU(),
      new Dropout(0.3, { name: 'd_conv', seed: 4 }),
      new Flatten(),
      new Dense(4, { name: 'h' }),
      new Dropout(0.5, { name: 'd_dense' }),
      new Dense(1),
    ]);
    const rebuilt = replaceConvFeatureMapDropout(model);
    expect(rebuilt.getLayer('d_conv').className).toBe('SpatialDropout2D');
    expect(rebuilt.getLayer('d_conv').getConfig()).toMatchObject({ rate: 0.3, seed: 4, dataFormat: 'channels_last' });
    expect(rebuilt.getLayer('d_dense').className).toBe('Dropout');
    expectSameInference(model, rebuilt, tf.randomNormal([2, 8, 8, 1]));
  });

  it('follows merges of convs in functional graphs and 1D channels_first convs', () => {
    const input = Input([4, 12]);
    const a = new Conv1D(4, { kernelSize: 3, padding: 'same', dataFormat: 'channels_first', name: 'a' }).apply(input);
    const b = new Conv1D(4, { kernelSize: 1, dataFormat: 'channels_first', name: 'b' }).apply(input);
    const dropped = new Dropout(0.2, { name: 'd' }).apply(new Add().apply([a, b]));
    const model = new Model({ inputs: input, outputs: new Dense(1).apply(new Flatten().apply(dropped)) });
    const layer = replaceConvFeatureMapDropout(model).getLayer('d');
    expect(layer.className).toBe('Dropout');
    expect(layer.getConfig()['noiseShape']).toEqual([null, null, 1]);
  });
});

describe('policy validation', () => {
  it('names the field and the valid choices', () => {
    expect(() => parseDropoutPolicy({ afterDense: { kind: 'spatial', rate: 0.1 } })).toThrow(
      /policy\.afterDense\.kind: invalid value "spatial" here; valid choices: standard, gaussian, alpha, dropconnect/,
    );
    expect(() => parseDropoutPolicy({ afterConv: {} })).toThrow(
      /policy\.afterConv: unknown field; valid fields: afterDense, afterConvBlock, recurrent/,
    );
    expect(() => parseDropoutPolicy({ recurrent: { inputRate: 0.2 } })).toThrow(
      /policy\.recurrent\.recurrentRate: missing/,
    );
    expect(() => parseDropoutPolicy({ afterConvBlock: { kind: 'droppath', rate: 0.1 } })).toThrow(
      /valid choices: spatial, dropblock, standard, gaussian, alpha/,
    );
  });

  it('lists its edits when applied to an IR', () => {
    const model = new Sequential([Input([3]), new Dense(4, { name: 'h' }), new Dense(1, { name: 'o' })]);
    const ir = modelToIR(model);
    expect(planDropoutPolicy(ir, { afterDense: { kind: 'alpha', rate: 0.1 } })).toEqual([
      { action: 'insert', layer: 'h_dropout', className: 'AlphaDropout', anchor: 'h' },
    ]);
  });
});

const fixtures = resolve(process.cwd(), '../shared/fixtures/real-models');
const realModel = resolve(fixtures, 'fashion_mnist_cnn.keras');
describe.skipIf(!existsSync(fixtures))(
  'policies on real Keras files from ../shared/fixtures/real-models (skipped when that folder is absent)',
  () => {
    it('adds spatial dropout after both conv blocks and dropout after the hidden Dense, outputs unchanged at inference', async () => {
      const model = await loadModel(realModel);
      const rebuilt = applyDropoutPolicy(model, {
        afterConvBlock: { kind: 'spatial', rate: 0.1 },
        afterDense: { kind: 'standard', rate: 0.3 },
      });
      expect(classes(rebuilt)).toEqual([
        'Conv2D',
        'MaxPooling2D',
        'SpatialDropout2D',
        'Conv2D',
        'MaxPooling2D',
        'SpatialDropout2D',
        'Flatten',
        'Dropout',
        'Dense',
        'Dropout',
        'Dense',
      ]);
      expectSameInference(model, rebuilt, tf.randomUniform([2, 28, 28, 1]));
    });

    it('replaces Dropout after Conv2D → (ZeroPadding2D) → LeakyReLU in a Keras 2 HDF5 GAN discriminator', async () => {
      const model = await loadModel(resolve(fixtures, 'dl4j_wgan_discriminator.h5'));
      const rebuilt = replaceConvFeatureMapDropout(model);
      const dropouts = rebuilt.layers.filter((l) => l.name.startsWith('dropout_'));
      expect(dropouts.map((l) => l.className)).toEqual([
        'SpatialDropout2D',
        'SpatialDropout2D',
        'SpatialDropout2D',
        'SpatialDropout2D',
      ]);
      expect(dropouts.map((l) => l.getConfig()['rate'])).toEqual(
        model.layers.filter((l) => l.name.startsWith('dropout_')).map((l) => l.getConfig()['rate']),
      );
      const input = model.inputs[0]!.shape.slice(1) as number[];
      expectSameInference(model, rebuilt, tf.randomUniform([2, ...input]));
    });

    it('sets recurrent dropout on a tf.keras 2 LSTM loaded from HDF5, weights carried over', async () => {
      const model = await loadModel(resolve(fixtures, 'dl4j_simple_lstm_tf_keras_2_model.h5'));
      expect(model.getLayer('lstm_1').getConfig()['dropout']).toBe(0.2);
      const rebuilt = applyDropoutPolicy(model, { recurrent: { inputRate: 0.3, recurrentRate: 0.1 } });
      expect(rebuilt.getLayer('lstm_1').getConfig()).toMatchObject({ dropout: 0.3, recurrentDropout: 0.1 });
      const batchShape = model.inputs[0]!.shape.map((d) => d ?? 2) as number[]; // this file fixes the batch size
      expectSameInference(model, rebuilt, tf.randomUniform(batchShape));
    });
  },
);

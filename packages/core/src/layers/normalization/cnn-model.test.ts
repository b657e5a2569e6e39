/**
 * The convolution, pooling and normalization layers inside a model: symbolic shapes and Keras
 * parameter counts, and `fit` on the test backend (WASM) with BatchNormalization's moving
 * statistics updated by training and used by `predict`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { Dense } from '../core/dense.js';
import { Conv2D } from '../convolutional/conv2d.js';
import { DepthwiseConv2D } from '../convolutional/depthwise-conv2d.js';
import { SeparableConv2D } from '../convolutional/separable-conv2d.js';
import { GlobalAveragePooling2D } from '../pooling/global-average-pooling2d.js';
import { MaxPooling2D } from '../pooling/max-pooling2d.js';
import { BatchNormalization } from './batch-normalization.js';

function buildModel(): { model: Sequential; norm: BatchNormalization } {
  const norm = new BatchNormalization({ momentum: 0.8 });
  const model = new Sequential([
    Input([8, 8, 1]),
    new Conv2D(4, { kernelSize: 3, padding: 'same', activation: 'relu' }),
    norm,
    new MaxPooling2D(),
    new DepthwiseConv2D(3, { padding: 'same', depthMultiplier: 2 }),
    new SeparableConv2D(4, { kernelSize: 3, padding: 'same', activation: 'relu' }),
    new GlobalAveragePooling2D(),
    new Dense(2, { activation: 'softmax' }),
  ]);
  return { model, norm };
}

describe('a small CNN built from these layers', () => {
  it('has Keras shapes and parameter counts', () => {
    const { model } = buildModel();
    const shapes = model.layers.map((l) => l.computeOutputShape(l.builtInputShape!));
    expect(shapes).toEqual([
      [null, 8, 8, 4],
      [null, 8, 8, 4],
      [null, 4, 4, 4],
      [null, 4, 4, 8],
      [null, 4, 4, 4],
      [null, 4],
      [null, 2],
    ]);
    // conv 3*3*1*4+4 = 40; BN 4*4 = 16; depthwise 3*3*4*2+8 = 80; separable 3*3*8 + 8*4 + 4 = 108; dense 4*2+2 = 10.
    expect(model.layers.map((l) => l.countParams())).toEqual([40, 16, 0, 80, 108, 0, 10]);
    expect(model.countParams()).toBe(254);
  });

  it('trains with fit on the current backend; BN moving stats move; predict uses them without leaking', async () => {
    const { model, norm } = buildModel();
    // Class 0: bright top half; class 1: bright bottom half (deterministic data).
    const images: number[][][][] = [];
    const labels: number[][] = [];
    for (let i = 0; i < 16; i++) {
      const top = i % 2 === 0;
      images.push(
        Array.from({ length: 8 }, (_, r) =>
          Array.from({ length: 8 }, (_, c) => [(r < 4 === top ? 1 : 0) + ((r * 8 + c + i) % 5) * 0.05]),
        ),
      );
      labels.push(top ? [1, 0] : [0, 1]);
    }
    const x = tf.tensor4d(images);
    const y = tf.tensor2d(labels);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0, shuffle: false });
    const losses = history.history['loss'] as number[];
    expect(losses.every((l) => Number.isFinite(l))).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const movingMean = (): number[] => {
      const weights = norm.getWeights();
      const values = Array.from(weights[2]!.dataSync());
      tf.dispose(weights);
      return values;
    };
    const trained = movingMean();
    expect(trained.some((v) => v !== 0)).toBe(true);
    const before = tf.memory().numTensors;
    const first = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const second = model.predict(x, { verbose: 0 }) as tf.Tensor;
    // Inference mode: deterministic, moving statistics unchanged.
    expect(Array.from(first.dataSync())).toEqual(Array.from(second.dataSync()));
    expect(movingMean()).toEqual(trained);
    tf.dispose([first, second]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});

/**
 * The fused optimizer updates against the optimizers' composed-op path: for every optimizer
 * option set, several steps with the fused kernels registered and again with them unregistered
 * must leave the same weights and slots, bit for bit, on the wasm and on the cpu backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../../optimizers/index.js';
import {
  ADAGRAD_UPDATE,
  ADAM_UPDATE,
  RMSPROP_UPDATE,
  SGD_UPDATE,
  applyFusedUpdate,
  registerFusedOptimizerUpdates,
} from './optimizer-updates.js';
import { seededValues } from '../wasm-kernels/test-support.test-suite.js';
import { backendMemory } from '../wasm-simd/heap-module.js';
import { optimizerLoops } from '../wasm-kernels/simd-optimizer-loops.js';

const KERNELS = [ADAM_UPDATE, RMSPROP_UPDATE, SGD_UPDATE, ADAGRAD_UPDATE];
const SHAPES = [[7, 5], [5], [1]];
const STEPS = 4;

/** Weights and slots after `STEPS` steps of `make()` from fixed weights and gradients. */
function train(make: () => Optimizer): { weights: number[][]; slots: number[][]; kernels: string[] } {
  const before = tf.memory().numTensors;
  const vars = SHAPES.map((shape, k) =>
    tf.tidy(() => tf.variable(tf.tensor(seededValues(tf.util.sizeFromShape(shape), 10 + k), shape))),
  );
  const optimizer = make();
  const kernels = new Set<string>();
  for (let step = 0; step < STEPS; step++) {
    // Gradients of varied magnitude (and zeros) so the rounding of every term matters.
    const grads = vars.map((v, k) =>
      tf.tidy(() => tf.mul(tf.tensor(seededValues(v.size, 100 * step + k), v.shape), step === 2 ? 0 : 3 ** k)),
    );
    if (step === 1) optimizer.learningRate *= 0.5;
    const original = tf.engine().runKernel.bind(tf.engine());
    // Records which fused kernels ran, to prove the fused path was (or was not) taken.
    tf.engine().runKernel = ((name: string, ...rest: unknown[]) => {
      kernels.add(name);
      return (original as (...a: unknown[]) => unknown)(name, ...rest);
    }) as typeof original;
    try {
      optimizer.applyGradients(grads.map((g, k) => [g, vars[k]!]));
    } finally {
      tf.engine().runKernel = original;
    }
    tf.dispose(grads);
  }
  const result = {
    weights: vars.map((v) => Array.from(v.dataSync())),
    slots: optimizer.variables.map((s) => Array.from(s.dataSync())),
    kernels: [...kernels].filter((k) => KERNELS.includes(k)),
  };
  optimizer.dispose();
  tf.dispose(vars);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

const CASES: [string, () => Optimizer, string][] = [
  ['Adam (Keras defaults)', () => new Adam(), ADAM_UPDATE],
  [
    'Adam amsgrad, large lr, epsilon 1e-3',
    () => new Adam({ amsgrad: true, learningRate: 0.1, epsilon: 1e-3 }),
    ADAM_UPDATE,
  ],
  ['Adam with clipnorm', () => new Adam({ clipnorm: 0.5 }), ADAM_UPDATE],
  ['Adam with weightDecay and globalClipnorm', () => new Adam({ weightDecay: 0.01, globalClipnorm: 1 }), ADAM_UPDATE],
  ['AdamW (default weight decay)', () => new AdamW({ learningRate: 0.01, beta1: 0.8, beta2: 0.99 }), ADAM_UPDATE],
  ['RMSprop (Keras defaults)', () => new RMSprop(), RMSPROP_UPDATE],
  ['RMSprop momentum', () => new RMSprop({ momentum: 0.9, learningRate: 0.01 }), RMSPROP_UPDATE],
  ['RMSprop centered', () => new RMSprop({ centered: true, rho: 0.8 }), RMSPROP_UPDATE],
  [
    'RMSprop centered with momentum, clipvalue',
    () => new RMSprop({ centered: true, momentum: 0.5, clipvalue: 0.3 }),
    RMSPROP_UPDATE,
  ],
  ['SGD (Keras defaults)', () => new SGD(), SGD_UPDATE],
  ['SGD momentum with weightDecay', () => new SGD({ momentum: 0.9, weightDecay: 0.1 }), SGD_UPDATE],
  ['SGD nesterov', () => new SGD({ momentum: 0.7, nesterov: true, learningRate: 0.3 }), SGD_UPDATE],
  ['Adagrad', () => new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.2 }), ADAGRAD_UPDATE],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`fused optimizer updates (${backend} backend)`, () => {
    let previous = '';
    const setUp = async () => {
      previous ||= tf.getBackend();
      await tf.setBackend(backend);
      await tf.ready();
      registerFusedOptimizerUpdates(backend);
    };
    afterAll(async () => {
      registerFusedOptimizerUpdates(backend);
      if (previous) await tf.setBackend(previous);
    });

    for (const [label, make, kernel] of CASES) {
      it(`${label}: the same weights and slots as the composed ops after ${STEPS} steps`, async () => {
        await setUp();
        const fused = train(make);
        expect(fused.kernels).toEqual([kernel]);
        tf.unregisterKernel(kernel, backend);
        try {
          const composed = train(make);
          expect(composed.kernels).toEqual([]);
          expect(fused.weights).toEqual(composed.weights);
          expect(fused.slots).toEqual(composed.slots);
        } finally {
          registerFusedOptimizerUpdates(backend);
        }
      });
    }

    if (backend === 'wasm') {
      it('runs the update loops as WebAssembly SIMD on the backend heap', async () => {
        await setUp();
        // One-thread or threaded build: each keeps its heap in a different place.
        const memory = backendMemory(tf.backend());
        expect(memory).not.toBeNull();
        const loops = optimizerLoops(memory!);
        expect(Object.keys(loops ?? {}).sort()).toEqual(
          [
            'adagrad',
            'adam',
            'adam_amsgrad',
            'rmsprop',
            'rmsprop_centered',
            'rmsprop_momentum',
            'rmsprop_momentum_centered',
            'sgd',
            'sgd_momentum',
            'sgd_nesterov',
          ].sort(),
        );
      });
    }

    it('falls back (returns false) for a non-float32 variable', async () => {
      await setUp();
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2], 'int32')));
      const g = tf.tensor1d([1, 1], 'int32');
      expect(applyFusedUpdate(SGD_UPDATE, w, g, {}, { learningRate: 1, momentum: 0, nesterov: false })).toBe(false);
      expect(Array.from(w.dataSync())).toEqual([1, 2]);
      tf.dispose([w, g]);
    });

    it('refuses inputs of another shape, naming the kernel and both shapes', async () => {
      await setUp();
      const w = tf.zeros([2, 3]);
      const g = tf.zeros([3, 2]);
      expect(() => tf.engine().runKernel(SGD_UPDATE, { variable: w, gradient: g }, { learningRate: 1 })).toThrow(
        /StrataSGDUpdate: input 'gradient' must be float32 of the variable's shape \[2, 3\], got float32 \[3, 2\]/,
      );
      tf.dispose([w, g]);
    });

    it("keeps a tensor sharing the variable's old buffer unchanged", async () => {
      await setUp();
      const w = tf.tidy(() => tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2])));
      const alias = tf.reshape(w, [4]);
      const g = tf.ones([2, 2]);
      new SGD({ learningRate: 0.5 }).applyGradients([[g, w]]);
      expect(Array.from(alias.dataSync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(w.dataSync())).toEqual([0.5, 1.5, 2.5, 3.5]);
      tf.dispose([w, alias, g]);
    });
  });
}

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Adagrad, Adam, AdamW, RMSprop, SGD, getOptimizer, type Optimizer } from './index.js';

const W0 = [1, -2];
const GRADS = [
  [0.5, 1],
  [-1, 2],
  [0.25, -0.5],
];

/** Runs the optimizer on a fixed gradient sequence and returns the weights after each step. */
function run(opt: Optimizer, steps = GRADS.length, lrAt?: (step: number) => number): number[][] {
  const w = tf.tidy(() => tf.variable(tf.tensor1d(W0)));
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    if (lrAt) opt.learningRate = lrAt(s);
    const g = tf.tensor1d(GRADS[s]!);
    opt.applyGradients([[g, w]]);
    g.dispose();
    out.push(Array.from(w.dataSync()));
  }
  opt.dispose();
  w.dispose();
  return out;
}

function expectClose(actual: number[][], expected: number[][], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, digits)));
}

/** Independent scalar references of Keras 3's update rules, run elementwise in float64. */
function reference(
  step: (w: number, g: number, state: Record<string, number>, t: number) => number,
  init: Record<string, number> = {},
): number[][] {
  const w = [...W0];
  const states = W0.map(() => ({ ...init }));
  return GRADS.map((g, t) => {
    for (let i = 0; i < w.length; i++) w[i] = step(w[i]!, g[i]!, states[i]!, t + 1);
    return [...w];
  });
}

describe('SGD', () => {
  it('plain: w -= lr * g (hand-computed)', () => {
    expectClose(run(new SGD({ learningRate: 0.1 }), 2), [
      [0.95, -2.1],
      [1.05, -2.3],
    ]);
  });
  it('momentum: m = 0.9m - lr g; w += m (hand-computed)', () => {
    expectClose(run(new SGD({ learningRate: 0.1, momentum: 0.9 }), 2), [
      [0.95, -2.1],
      [1.005, -2.39],
    ]);
  });
  it('nesterov: w += 0.9m - lr g (hand-computed)', () => {
    expectClose(run(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 2), [
      [0.905, -2.19],
      [1.0545, -2.651],
    ]);
  });
  it('Keras defaults and config keys', () => {
    const opt = new SGD();
    expect(opt.getConfig()).toEqual({
      name: opt.name,
      learning_rate: 0.01,
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
      momentum: 0,
      nesterov: false,
    });
    expect(opt.name).toMatch(/^sgd(_\d+)?$/);
  });
});

describe('Adam / AdamW', () => {
  const adamRef = (lr: number, amsgrad = false, wd = 0) =>
    reference(
      (w, g, s, t) => {
        w -= w * wd * lr;
        const alpha = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        s['m'] = s['m']! + (g - s['m']!) * 0.1;
        s['v'] = s['v']! + (g * g - s['v']!) * 0.001;
        s['vh'] = Math.max(s['vh']!, s['v']!);
        return w - (alpha * s['m']!) / (Math.sqrt(amsgrad ? s['vh']! : s['v']!) + 1e-7);
      },
      { m: 0, v: 0, vh: 0 },
    );

  it('first step moves each weight by about lr against the gradient sign', () => {
    const [first] = run(new Adam({ learningRate: 0.1 }), 1);
    expect(first![0]).toBeCloseTo(0.9, 5);
    expect(first![1]).toBeCloseTo(-2.1, 5);
  });
  it('matches the Keras 3 update rule over 3 steps', () => {
    expectClose(run(new Adam({ learningRate: 0.1 })), adamRef(0.1));
    expectClose(run(new Adam({ learningRate: 0.1, amsgrad: true })), adamRef(0.1, true));
  });
  it('AdamW decays weights by w * weightDecay * lr before the Adam step (default 0.004)', () => {
    const opt = new AdamW({ learningRate: 0.1 });
    expect(opt.weightDecay).toBe(0.004);
    expectClose(run(opt), adamRef(0.1, false, 0.004));
    expect(new AdamW().getConfig()).toMatchObject({
      learning_rate: 0.001,
      weight_decay: 0.004,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
  });
});

describe('RMSprop', () => {
  it('plain: v = 0.9v + 0.1g²; w -= lr g / sqrt(v + eps)', () => {
    // step 1: v = 0.1 * 0.25 = 0.025 → w0 -= 0.01 * 0.5 / sqrt(0.025)
    const [first] = run(new RMSprop({ learningRate: 0.01 }), 1);
    expect(first![0]).toBeCloseTo(1 - (0.01 * 0.5) / Math.sqrt(0.025 + 1e-7), 6);
    const ref = reference(
      (w, g, s) => {
        s['v'] = 0.9 * s['v']! + 0.1 * g * g;
        return w - (0.01 * g) / Math.sqrt(s['v']! + 1e-7);
      },
      { v: 0 },
    );
    expectClose(run(new RMSprop({ learningRate: 0.01 })), ref);
  });
  it('centered with momentum', () => {
    const ref = reference(
      (w, g, s) => {
        s['v'] = 0.9 * s['v']! + 0.1 * g * g;
        s['a'] = 0.9 * s['a']! + 0.1 * g;
        const inc = (0.01 * g) / Math.sqrt(s['v']! - s['a']! ** 2 + 1e-7);
        s['m'] = 0.5 * s['m']! + inc;
        return w - s['m']!;
      },
      { v: 0, a: 0, m: 0 },
    );
    expectClose(run(new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })), ref, 4);
  });
  it('Keras defaults', () => {
    expect(new RMSprop().getConfig()).toMatchObject({
      learning_rate: 0.001,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
  });
});

describe('Adagrad', () => {
  it('acc starts at 0.1; w -= lr g / sqrt(acc + eps)', () => {
    const [first] = run(new Adagrad({ learningRate: 0.1 }), 1);
    // acc = 0.1 + 0.25 = 0.35
    expect(first![0]).toBeCloseTo(1 - (0.1 * 0.5) / Math.sqrt(0.35 + 1e-7), 6);
    const ref = reference(
      (w, g, s) => {
        s['acc'] = s['acc']! + g * g;
        return w - (0.1 * g) / Math.sqrt(s['acc']! + 1e-7);
      },
      { acc: 0.1 },
    );
    expectClose(run(new Adagrad({ learningRate: 0.1 })), ref);
    expect(new Adagrad().getConfig()).toMatchObject({
      learning_rate: 0.001,
      initial_accumulator_value: 0.1,
      epsilon: 1e-7,
    });
  });
});

describe('shared optimizer behaviour', () => {
  it('reads learningRate at every step (changeable between steps)', () => {
    const steps = run(new SGD({ learningRate: 0.1 }), 2, (s) => (s === 0 ? 0.1 : 1));
    expectClose(steps, [
      [0.95, -2.1],
      [1.95, -4.1],
    ]);
  });

  it('clipnorm, clipvalue and globalClipnorm clip as Keras', () => {
    const step = (opt: Optimizer, grads: number[][]): number[][] => {
      const vars = grads.map((g) => tf.variable(tf.zeros([g.length])));
      const gs = grads.map((g) => tf.tensor1d(g));
      opt.applyGradients(gs.map((g, i) => [g, vars[i]!]));
      const out = vars.map((v) => Array.from(v.dataSync()).map((x) => -x));
      tf.dispose([...vars, ...gs]);
      opt.dispose();
      return out;
    };
    expectClose(step(new SGD({ learningRate: 1, clipnorm: 1 }), [[3, 4]]), [[0.6, 0.8]]);
    expectClose(step(new SGD({ learningRate: 1, clipnorm: 10 }), [[3, 4]]), [[3, 4]]);
    expectClose(step(new SGD({ learningRate: 1, clipvalue: 0.5 }), [[3, -4, 0.1]]), [[0.5, -0.5, 0.1]]);
    expectClose(step(new SGD({ learningRate: 1, globalClipnorm: 1 }), [[3], [4]]), [[0.6], [0.8]]);
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm/);
  });

  it('state is freed by dispose()', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.ones([3])));
    const opt = new Adam({ amsgrad: true });
    const g = tf.ones([3]);
    opt.applyGradients([[g, w]]);
    opt.applyGradients([[g, w]]);
    expect(opt.variables.length).toBe(3);
    expect(opt.iterations).toBe(2);
    opt.dispose();
    tf.dispose([w, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('getOptimizer resolves Keras names and configs; unknown names list the valid ones', () => {
    expect(getOptimizer('sgd')).toBeInstanceOf(SGD);
    expect(getOptimizer('Adam')).toBeInstanceOf(Adam);
    expect(getOptimizer('adamw')).toBeInstanceOf(AdamW);
    expect(getOptimizer('rmsprop')).toBeInstanceOf(RMSprop);
    expect(getOptimizer('adagrad')).toBeInstanceOf(Adagrad);
    const fromConfig = getOptimizer({ className: 'Adam', config: { learning_rate: 0.02, beta_1: 0.8 } }) as Adam;
    expect([fromConfig.learningRate, fromConfig.beta1]).toEqual([0.02, 0.8]);
    expect(() => getOptimizer('adamax')).toThrow(
      'Unknown optimizer "adamax"; valid choices: sgd, adam, adamw, rmsprop, adagrad',
    );
  });
});

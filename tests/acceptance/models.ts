/**
 * Tiny models and data shared by the acceptance tests, built only through the public API.
 */
import { Input, Model, Sequential, layers, optimizers, tf } from '@strata/core';

/**
 * Two inputs (`left`, `right`, 4 features each) and two outputs (`reg`: Dense(1) regression,
 * `cls`: Dense(3, softmax) classification), with a Dense layer shared by both inputs and a
 * nested Sequential model on the concatenated features — the Keras functional features at once.
 */
export function twoInTwoOutModel(seed = 1): Model {
  const init = (offset: number) => ({ className: 'GlorotUniform', config: { seed: seed + offset } });
  const left = Input({ shape: [4], name: 'left' });
  const right = Input({ shape: [4], name: 'right' });
  const shared = new layers.Dense(6, { activation: 'tanh', name: 'shared', kernelInitializer: init(0) });
  const joined = new layers.Concatenate({ name: 'joined' }).apply([shared.apply(left), shared.apply(right)]);
  const trunk = new Sequential(
    [
      Input([12]),
      new layers.Dense(8, { activation: 'relu', kernelInitializer: init(1) }),
      new layers.Dense(8, { activation: 'tanh', kernelInitializer: init(2) }),
    ],
    { name: 'trunk' },
  );
  const features = trunk.apply(joined);
  const reg = new layers.Dense(1, { name: 'reg', kernelInitializer: init(3) }).apply(features);
  const cls = new layers.Dense(3, { activation: 'softmax', name: 'cls', kernelInitializer: init(4) }).apply(features);
  return new Model({ inputs: [left, right], outputs: [reg, cls], name: 'two_heads' });
}

/** Deterministic data for {@link twoInTwoOutModel}: `reg` is a smooth function, `cls` a sparse label of it. */
export function twoInTwoOutData(n = 32): { left: number[][]; right: number[][]; reg: number[][]; cls: number[] } {
  const left: number[][] = [];
  const right: number[][] = [];
  const reg: number[][] = [];
  const cls: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = [Math.sin(i), Math.cos(1.3 * i), ((i % 5) - 2) / 2, Math.sin(0.7 * i + 1)];
    const r = [Math.cos(i), Math.sin(2.1 * i), ((i % 3) - 1) / 1, Math.cos(0.3 * i)];
    const target = 0.5 * l[0]! - r[1]! + 0.25 * l[2]! * r[2]!;
    left.push(l);
    right.push(r);
    reg.push([target]);
    cls.push(target < -0.4 ? 0 : target < 0.4 ? 1 : 2);
  }
  return { left, right, reg, cls };
}

/** Compiles the two-headed model with Keras string names, per output by name. */
export function compileTwoHeads(model: Model, optimizer: string | optimizers.Optimizer = 'adam'): void {
  model.compile({
    optimizer,
    loss: { reg: 'mse', cls: 'sparse_categorical_crossentropy' },
    metrics: { reg: ['mae'], cls: ['accuracy'] },
  });
}

/** Number of live tensors. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  Mean,
  MeanAbsoluteError,
  Precision,
  Recall,
  RootMeanSquaredError,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  getMetric,
} from './index.js';

const t = (v: number[] | number[][]): tf.Tensor => tf.tensor(v);

describe('metrics accumulate over batches', () => {
  it('Mean is a weighted running mean', () => {
    const m = new Mean();
    // Keras's Mean.update_state(values, sample_weight).
    m.updateState(t([1, 2, 3]));
    m.updateState(t([10]), t([3]));
    expect(m.result()).toBeCloseTo((1 + 2 + 3 + 30) / 6, 6);
    m.updateState(4);
    expect(m.result()).toBeCloseTo((1 + 2 + 3 + 30 + 4) / 7, 6);
    m.resetState();
    expect(m.result()).toBe(0);
  });

  it('accuracy family (hand-computed)', () => {
    const binary = new BinaryAccuracy();
    binary.updateState(t([[1], [0], [1], [0]]), t([[0.9], [0.6], [0.4], [0.1]]));
    expect(binary.result()).toBe(0.5);
    const cat = new CategoricalAccuracy();
    cat.updateState(
      t([
        [0, 1],
        [1, 0],
      ]),
      t([
        [0.2, 0.8],
        [0.3, 0.7],
      ]),
    );
    cat.updateState(t([[0, 1]]), t([[0.1, 0.9]]));
    expect(cat.result()).toBeCloseTo(2 / 3, 6);
    const sparse = new SparseCategoricalAccuracy();
    sparse.updateState(
      t([[2], [0]]),
      t([
        [0.1, 0.2, 0.7],
        [0.1, 0.8, 0.1],
      ]),
    );
    expect(sparse.result()).toBe(0.5);
    sparse.updateState(t([1]), t([[0.1, 0.8, 0.1]]), t([3]));
    expect(sparse.result()).toBeCloseTo(4 / 5, 6);
    const acc = new Accuracy();
    acc.updateState(t([1, 2, 3]), t([1, 2, 0]));
    expect(acc.result()).toBeCloseTo(2 / 3, 6);
    const top2 = new SparseTopKCategoricalAccuracy({ k: 2 });
    top2.updateState(
      t([0, 2]),
      t([
        [0.5, 0.3, 0.2],
        [0.5, 0.3, 0.2],
      ]),
    );
    expect(top2.result()).toBe(0.5);
  });

  it('regression metrics, precision and recall', () => {
    const mae = new MeanAbsoluteError();
    mae.updateState(t([[1, 2]]), t([[2, 4]]));
    expect(mae.result()).toBe(1.5);
    const rmse = new RootMeanSquaredError();
    rmse.updateState(t([[0], [0]]), t([[3], [4]]));
    expect(rmse.result()).toBeCloseTo(Math.sqrt(12.5), 5);
    const p = new Precision();
    const r = new Recall();
    const yt = t([1, 1, 0, 0, 1]);
    const yp = t([0.9, 0.2, 0.7, 0.1, 0.8]);
    p.updateState(yt, yp);
    r.updateState(yt, yp);
    expect(p.result()).toBeCloseTo(2 / 3, 6);
    expect(r.result()).toBeCloseTo(2 / 3, 6);
  });

  it('AUC (ROC, 200 thresholds) matches the exact area when scores are well separated', () => {
    const auc = new AUC();
    auc.updateState(t([0, 0]), t([0.1, 0.4]));
    auc.updateState(t([1, 1]), t([0.35, 0.8]));
    // pairs (pos, neg): (0.35 > 0.1), (0.35 < 0.4), (0.8 > both) → 3/4
    expect(auc.result()).toBeCloseTo(0.75, 6);
    const perfect = getMetric('auc');
    perfect.updateState(t([0, 1, 0, 1]), t([0.2, 0.9, 0.3, 0.7]));
    expect(perfect.result()).toBeCloseTo(1, 6);
    expect(perfect.direction).toBe('up');
  });

  it('getMetric names the metric after the string; unknown names list valid ones', () => {
    expect(getMetric('mse').className).toBe('MeanSquaredError');
    expect(getMetric('mse').name).toBe('mse');
    expect(getMetric('RootMeanSquaredError').name).toBe('RootMeanSquaredError');
    expect(getMetric({ className: 'Precision', config: { name: 'prec' } }).name).toBe('prec');
    expect(() => getMetric('f1')).toThrow(/Unknown metric "f1"; valid choices: acc, .*precision/);
  });
});

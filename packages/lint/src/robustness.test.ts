import type { ModelIR } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { lintModel } from './engine.js';
import { conv2d, dense, dropout, functional, input, L, sequential, type LayerSpec } from './testing/models.js';

describe('engine robustness', () => {
  it('lints a graph with a dangling reference instead of crashing', () => {
    const model: ModelIR = functional('m', [
      input('in', [null, 4]),
      dense('d', {}, ['in']),
      dropout('drop', 0, {}, ['missing_layer']),
    ]);
    expect(lintModel(model).findings.map((f) => f.ruleId)).toContain('dropout-rate-zero');
  });

  it('lints a cyclic (malformed) graph without hanging', () => {
    const model = functional(
      'm',
      [dense('a', {}, ['b']), dense('b', {}, ['a']), dropout('drop', 0.9, {}, ['b'])],
      ['drop'],
    );
    expect(lintModel(model).findings.map((f) => f.ruleId)).toContain('no-trailing-dropout');
  });

  it('handles a 2000-layer model quickly', () => {
    const specs: LayerSpec[] = [input('in', [null, 32, 32, 3])];
    for (let i = 0; i < 500; i++) {
      specs.push(conv2d(`c${i}`, { padding: 'same', strides: [1, 1], dilation_rate: [1, 1] }));
      specs.push(L('BatchNormalization', `bn${i}`, { axis: -1 }));
      specs.push(L('ReLU', `r${i}`));
      specs.push(L('SpatialDropout2D', `sd${i}`, { rate: 0.1, data_format: 'channels_last' }));
    }
    const model = sequential('deep', specs);
    const start = performance.now();
    const result = lintModel(model, { config: { extends: 'all' } });
    expect(performance.now() - start).toBeLessThan(5000);
    // Each SpatialDropout2D feeds the next conv, not a BN: nothing to report but the trailing one.
    expect(result.findings.map((f) => `${f.ruleId}@${f.layer.name}`)).toEqual(['no-trailing-dropout@sd499']);
  });
});

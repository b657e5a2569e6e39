import { describe, expect, it } from 'vitest';
import { lintModel } from './engine.js';
import { LintConfigError } from './config.js';
import { conv2d, dense, dropout, functional, input, L, mnistConvnet, sequential } from './testing/models.js';

/** Dense → Dropout → BN, plus a rate-0 dropout and a selu layer with a non-LeCun init. */
function sample() {
  return sequential('sample', [
    input('in', [null, 4]),
    dense('d1', { activation: 'selu', kernel_initializer: 'glorot_uniform' }),
    dropout('drop_bn', 0.2),
    L('BatchNormalization', 'bn'),
    dropout('drop_zero', 0),
    dense('out', { activation: 'softmax' }),
  ]);
}

const ids = (r: ReturnType<typeof lintModel>) => r.findings.map((f) => `${f.ruleId}@${f.layer.name}:${f.severity}`);

describe('lintModel', () => {
  it('uses the recommended preset by default', () => {
    expect(ids(lintModel(sample()))).toEqual([
      'no-dropout-before-batchnorm@drop_bn:warn',
      'dropout-rate-zero@drop_zero:info',
    ]);
  });

  it('strict adds strict-only rules; all adds off-by-default ones', () => {
    const strict = ids(lintModel(sample(), { config: { extends: 'strict' } }));
    expect(strict).toContain('selu-requires-lecun-normal@d1:info');
    expect(strict).toContain('dropout-rate-zero@drop_zero:info');
    const model = sequential('m', [
      input('in', [null, 8, 8, 3]),
      conv2d('c'),
      L('SpatialDropout2D', 'd', { rate: 0.1 }),
      L('MaxPooling2D', 'p'),
    ]);
    expect(ids(lintModel(model, { config: { extends: 'strict' } }))).toEqual([]);
    expect(ids(lintModel(model, { config: { extends: 'all' } }))).toEqual(['dropout-before-pooling@d:info']);
  });

  it('config rules change severity, turn rules off and pass options', () => {
    const r = lintModel(sample(), {
      config: {
        rules: {
          'no-dropout-before-batchnorm': 'error',
          'dropout-rate-zero': 'off',
          'dropout-rate-high': ['warn', { max: 0.1, warnAt: 0.15 }],
        },
      },
    });
    expect(ids(r)).toEqual(['no-dropout-before-batchnorm@drop_bn:error', 'dropout-rate-high@drop_bn:warn']);
  });

  it('accepts ESLint numeric severities', () => {
    const r = lintModel(sample(), { config: { rules: { 'no-dropout-before-batchnorm': 2 as unknown as 'error' } } });
    expect(ids(r)[0]).toBe('no-dropout-before-batchnorm@drop_bn:error');
  });

  it('overrides match layer-name and class globs; later overrides win', () => {
    const byName = lintModel(sample(), {
      config: { overrides: [{ layers: ['drop_*'], rules: { 'no-dropout-before-batchnorm': 'off' } }] },
    });
    expect(ids(byName)).toEqual(['dropout-rate-zero@drop_zero:info']);
    const byClass = lintModel(sample(), {
      config: {
        overrides: [
          { classes: ['Drop*'], rules: { 'dropout-rate-zero': 'error' } },
          { layers: ['drop_zero'], rules: { 'dropout-rate-zero': 'warn' } },
        ],
      },
    });
    expect(ids(byClass)).toContain('dropout-rate-zero@drop_zero:warn');
    const notMatching = lintModel(sample(), {
      config: { overrides: [{ classes: ['Dense'], rules: { 'no-dropout-before-batchnorm': 'off' } }] },
    });
    expect(ids(notMatching)).toContain('no-dropout-before-batchnorm@drop_bn:warn');
  });

  it('an override can enable a rule that is off globally, for matching layers only, with its own options', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense('a'),
      dropout('d1', 0.3),
      dense('b'),
      dropout('d2', 0.3),
      dense('o'),
    ]);
    const r = lintModel(model, {
      config: {
        rules: { 'dropout-rate-high': 'off' },
        overrides: [{ layers: ['d2'], rules: { 'dropout-rate-high': ['error', { max: 0.1, warnAt: 0.2 }] } }],
      },
    });
    expect(ids(r)).toEqual(['dropout-rate-high@d2:error']);
  });

  it('overrides with models globs apply only to matching sources', () => {
    const config = {
      overrides: [{ models: ['**/legacy/*.json'], rules: { 'no-dropout-before-batchnorm': 'off' as const } }],
    };
    expect(ids(lintModel(sample(), { config, source: 'models/legacy/a.json' }))).not.toContain(
      'no-dropout-before-batchnorm@drop_bn:warn',
    );
    expect(ids(lintModel(sample(), { config, source: 'models/new/a.json' }))).toContain(
      'no-dropout-before-batchnorm@drop_bn:warn',
    );
  });

  it('suppressions remove findings (kept in `suppressed`) and unused ones are reported', () => {
    const r = lintModel(sample(), {
      source: 'm.keras',
      config: {
        suppressions: [
          { rule: 'no-dropout-before-batchnorm', layer: 'drop_bn', reason: 'WRN-style wide block' },
          { rule: 'dropout-rate-high', layer: 'drop_*', reason: 'stale' },
          { rule: 'dropout-rate-zero', layer: 'drop_zero', model: 'other.keras', reason: 'another model' },
        ],
      },
    });
    expect(ids(r)).toEqual(['dropout-rate-zero@drop_zero:info']);
    expect(r.suppressed?.map((s) => s.suppression.reason)).toEqual(['WRN-style wide block']);
    expect(r.unusedSuppressions.map((s) => s.reason)).toEqual(['stale']);
    expect(r.findings[0]?.file).toBe('m.keras');
    expect(r.source).toBe('m.keras');
  });

  it('a suppression without a reason is a config error', () => {
    expect(() =>
      lintModel(sample(), { config: { suppressions: [{ rule: 'dropout-rate-zero', layer: 'x' } as never] } }),
    ).toThrow(LintConfigError);
  });

  it('reports findings in graph order, not config order', () => {
    const model = functional(
      'm',
      [
        dropout('late', 0, {}, ['d']),
        dense('d', {}, ['early']),
        dropout('early', 0, {}, ['in']),
        input('in', [null, 4]),
      ],
      ['late'],
    );
    expect(
      lintModel(model)
        .findings.filter((f) => f.ruleId === 'dropout-rate-zero')
        .map((f) => f.layer.name),
    ).toEqual(['early', 'late']);
  });

  it('lints nested models with their path, in place in the outer order', () => {
    const inner = sequential('encoder', [
      input('ein', [null, 4]),
      dense('e1'),
      dropout('edrop', 0.2),
      L('BatchNormalization', 'ebn'),
    ]);
    const model = functional('outer', [
      input('in', [null, 4]),
      dropout('first', 0, {}, ['in']),
      { className: 'Sequential', name: 'encoder', config: {}, inputs: ['first'], model: inner },
      dropout('last', 0, {}, ['encoder']),
      dense('o', {}, ['last']),
    ]);
    const r = lintModel(model);
    expect(r.findings.map((f) => `${f.ruleId}@${[...f.layer.path, f.layer.name].join('/')}`)).toEqual([
      'dropout-rate-zero@first',
      'no-dropout-before-batchnorm@encoder/edrop',
      'dropout-rate-zero@last',
    ]);
    const suppressed = lintModel(model, {
      config: { suppressions: [{ rule: 'no-dropout-before-batchnorm', layer: 'encoder/edrop', reason: 'ok' }] },
    });
    expect(suppressed.findings.map((f) => f.layer.name)).toEqual(['first', 'last']);
  });

  it('infers shapes itself (DropBlock2D on a 7×7 map from a padded conv)', () => {
    const model = sequential('m', [
      input('in', [null, 7, 7, 3]),
      conv2d('c', { padding: 'same', strides: [1, 1], dilation_rate: [1, 1], use_bias: true, groups: 1 }),
      L('DropBlock2D', 'db', { rate: 0.1, block_size: 7 }),
    ]);
    expect(ids(lintModel(model))).toContain('dropblock-block-size-too-large@db:error');
  });

  it('the Keras MNIST convnet raises nothing under recommended (nor strict)', () => {
    expect(lintModel(mnistConvnet()).findings).toEqual([]);
    expect(lintModel(mnistConvnet(), { config: { extends: 'strict' } }).findings).toEqual([]);
  });
});

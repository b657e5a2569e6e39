/**
 * The lint rule reference shows each rule's example as Strata code (rendered from
 * `RULE_EXAMPLES` of @strata/lint). Here every example is built with the real layer classes of
 * @strata/core and @strata/dropout, as that code does, and the built model's IR is linted: the
 * example must still trigger its rule and the fix must not. Two bad examples cannot be built —
 * Strata refuses them when the layer is made — and the test checks that it does.
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, modelToIR, type KerasTensor, type Layer } from '@strata/core';
import { DropBlock2D, StochasticDepth } from '@strata/dropout';
import { RULE_EXAMPLES, lintModel, type ExampleLayer, type ExampleModel } from '@strata/lint';

type LayerClass = new (...args: unknown[]) => Layer;
const DROPOUT_CLASSES: Record<string, LayerClass> = {
  DropBlock2D: DropBlock2D as unknown as LayerClass,
  StochasticDepth: StochasticDepth as unknown as LayerClass,
};

/** `new layers.X(...args, options)`, as the rendered example writes it. */
function construct(spec: ExampleLayer): Layer {
  const registry = layers as unknown as Record<string, LayerClass>;
  const cls = Object.hasOwn(DROPOUT_CLASSES, spec.className)
    ? DROPOUT_CLASSES[spec.className]
    : registry[spec.className];
  if (cls === undefined) throw new Error(`no Strata class ${spec.className}`);
  const options = spec.options !== undefined && Object.keys(spec.options).length > 0 ? [spec.options] : [];
  return new cls(...(spec.args ?? []), ...options);
}

function build(example: ExampleModel): Model {
  if (!example.layers.some((spec) => spec.inputs !== undefined)) {
    return new Sequential([Input(example.input), ...example.layers.map(construct)]);
  }
  const inputs = Input(example.input);
  const tensors = new Map<string, KerasTensor>([['inputs', inputs]]);
  let last = inputs;
  for (const spec of example.layers) {
    const from = spec.inputs!.map((name) => tensors.get(name)!);
    last = construct(spec).apply(from.length === 1 ? from[0]! : from, spec.training ? { training: true } : {});
    tensors.set(spec.name!, last);
  }
  return new Model(inputs, last);
}

function triggers(ruleId: string, model: Model): boolean {
  const result = lintModel(modelToIR(model), { config: { extends: 'all', rules: { [ruleId]: 'warn' } } });
  return result.findings.some((finding) => finding.ruleId === ruleId);
}

const REFUSED_BY_STRATA: Record<string, RegExp> = {
  'dropout-rate-invalid': /rate/,
  'spatial-dropout-rank-mismatch': /SpatialDropout2D|rank|ndim|4/i,
};

describe('lint rule examples, built with Strata', () => {
  it.each(Object.keys(RULE_EXAMPLES))('%s', (ruleId) => {
    const example = RULE_EXAMPLES[ruleId]!;
    const good = build(example.good);
    expect(triggers(ruleId, good)).toBe(false);
    good.dispose();
    if (Object.hasOwn(REFUSED_BY_STRATA, ruleId)) {
      expect(() => build(example.bad)).toThrow(REFUSED_BY_STRATA[ruleId]);
      return;
    }
    const bad = build(example.bad);
    expect(triggers(ruleId, bad)).toBe(true);
    bad.dispose();
  });
});

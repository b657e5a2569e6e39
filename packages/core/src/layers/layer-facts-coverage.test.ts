/**
 * Every layer class core registers has an entry in `@strata/graph`'s layer-facts table (kinds,
 * rank, parameter rule, build-at-init), so lint, dropout, the CLI and saving know it. A new
 * layer without a facts entry fails here. (The dropout package checks its own layers the same way.)
 */
import { isBuiltAtInit, layerFacts } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { Input } from '../engine/input-layer.js';
import { getLayerClass, registeredLayerNames } from '../engine/registry.js';
import { buildConfigOf } from '../saving/layer-ir.js';

/** Built-in class names (custom registrations are keyed `"package>Name"`; those packages test their own). */
const builtInNames = (): string[] => registeredLayerNames().filter((name) => !name.includes('>'));

describe('layer facts cover the registry', () => {
  it('every registered built-in layer class has a facts entry under its own class name', () => {
    const names = builtInNames();
    expect(names.length).toBeGreaterThan(80);
    const missing = names.filter((name) => layerFacts(name) === undefined);
    expect(
      missing,
      `registered layer classes without an entry in packages/graph/src/layer-facts/table.ts: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('registry keys are canonical class names, never aliases', () => {
    const aliased = builtInNames().filter((name) => layerFacts(name)?.className !== name);
    expect(aliased).toEqual([]);
  });

  it('saving writes no build_config for the classes the table says Keras builds at init', () => {
    const x = Input([3]);
    const dense = getLayerClass('Dense')!.fromConfig({ units: 2 });
    const dropout = getLayerClass('Dropout')!.fromConfig({ rate: 0.5 });
    dropout.apply(dense.apply(x));
    expect([isBuiltAtInit('Dense'), isBuiltAtInit('Dropout')]).toEqual([false, true]);
    expect(buildConfigOf(dense)).toEqual({ input_shape: [null, 3] });
    expect(buildConfigOf(dropout)).toBeUndefined();
  });
});

/**
 * The layers this package registers (`strata_dropout>…`) have entries in `@strata/graph`'s
 * layer-facts table, as core's built-ins do (core's own test covers those), so lint, the CLI and
 * the dropout policies know what they are.
 */
import { layerFacts } from '@strata/graph';
import { registeredLayerNames } from '@strata/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { DROPOUT_PACKAGE } from './rate.js';

describe("layer facts cover the dropout package's layers", () => {
  it('every class registered under strata_dropout> has a facts entry', () => {
    const prefix = `${DROPOUT_PACKAGE}>`;
    const names = registeredLayerNames()
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
    expect(names).toEqual(
      expect.arrayContaining([
        'DropBlock2D',
        'DropConnectDense',
        'DropPath',
        'StochasticDepth',
        'WeightDropLSTM',
        'WeightDropLSTMCell',
      ]),
    );
    const missing = names.filter((name) => layerFacts(name) === undefined);
    expect(
      missing,
      `layers without an entry in packages/graph/src/layer-facts/table.ts: ${missing.join(', ')}`,
    ).toEqual([]);
  });
});

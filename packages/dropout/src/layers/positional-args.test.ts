/**
 * This package's layers follow core's rules (issue 11): Keras-style positional calls, every
 * config key accepted by the constructor, unknown (snake_case) keys refused with the camelCase
 * hint naming the layer. The table must cover every layer this package registers.
 */
import { describe, expect, it } from 'vitest';
import { getLayerClass, registeredLayerNames, toSnakeCase, type Layer } from '@strata/core';
import { DROPOUT_PACKAGE } from './rate.js';
import { DropBlock2D } from './drop-block-2d.js';
import { DropConnectDense } from './drop-connect-dense.js';
import { DropPath, StochasticDepth } from './stochastic-depth.js';
import { WeightDropLSTM, WeightDropLSTMCell } from './weight-drop-lstm.js';

type Options = Record<string, unknown>;
const SAMPLES: Record<string, [make: (o?: Options) => Layer, expected: Options, camelKey: string]> = {
  StochasticDepth: [(o) => new StochasticDepth(0.2, o), { rate: 0.2 }, 'inputShape'],
  DropPath: [(o) => new DropPath(0.1, o), { rate: 0.1 }, 'inputShape'],
  DropBlock2D: [(o) => new DropBlock2D(0.1, 3, o), { rate: 0.1, blockSize: 3 }, 'blockSize'],
  DropConnectDense: [(o) => new DropConnectDense(8, { rate: 0.3, ...o }), { units: 8, rate: 0.3 }, 'useBias'],
  WeightDropLSTMCell: [
    (o) => new WeightDropLSTMCell(4, { weightDropout: 0.2, ...o }),
    { units: 4, weightDropout: 0.2 },
    'weightDropout',
  ],
  WeightDropLSTM: [
    (o) => new WeightDropLSTM(4, { weightDropout: 0.2, ...o }),
    { units: 4, weightDropout: 0.2 },
    'returnSequences',
  ],
};

describe('@strata/dropout layers: call forms and strict options', () => {
  it('the table covers every layer this package registers', () => {
    const ours = registeredLayerNames()
      .filter((n) => n.startsWith(`${DROPOUT_PACKAGE}>`))
      .map((n) => n.slice(DROPOUT_PACKAGE.length + 1));
    expect(ours.filter((n) => !Object.hasOwn(SAMPLES, n))).toEqual([]);
  });

  for (const [className, [make, expected, camelKey]] of Object.entries(SAMPLES)) {
    it(`${className}: Keras's call gives its config; config keys accepted; ${toSnakeCase(camelKey)} refused`, () => {
      const layer = make();
      expect(layer.getConfig()).toMatchObject(expected);
      const cls = getLayerClass(`${DROPOUT_PACKAGE}>${className}`)!;
      const config = layer.getConfig();
      expect(cls.fromConfig(config).getConfig()).toMatchObject({ ...expected });
      const snake = toSnakeCase(camelKey);
      expect(() => make({ [snake]: 1 })).toThrow(
        new RegExp(`^${className}: unknown option "${snake}"; did you mean "${camelKey}"\\?`),
      );
    });
  }
});

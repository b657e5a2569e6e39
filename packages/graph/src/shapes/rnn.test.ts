import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { UnknownLayerError } from './errors.js';
import { inferLayerOutputShapes } from './infer.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'rnn', ...config }, inputs);

const lstm = (config: JsonObject): JsonObject => ({
  module: 'keras.layers',
  class_name: 'LSTM',
  config: { name: 'lstm', units: 8, ...config },
  registered_name: null,
});

describe('recurrent layers', () => {
  it('return_sequences keeps the time axis; return_state adds one output per state', () => {
    expect(infer('LSTM', { units: 8 }, [null, 5, 3])).toEqual([[null, 8]]);
    expect(infer('GRU', { units: 4, return_sequences: true }, [null, 5, 3])).toEqual([[null, 5, 4]]);
    expect(infer('LSTM', { units: 8, return_state: true }, [null, 5, 3])).toEqual([
      [null, 8],
      [null, 8],
      [null, 8],
    ]);
    expect(infer('GRU', { units: 4, return_state: true, return_sequences: true }, [2, 5, 3])).toEqual([
      [2, 5, 4],
      [2, 4],
    ]);
    expect(infer('SimpleRNN', { units: 6, return_state: true }, [null, null, 3])).toEqual([
      [null, 6],
      [null, 6],
    ]);
  });

  it('needs (batch, timesteps, features) with known features', () => {
    expect(() => infer('LSTM', { units: 8 }, [null, 3])).toThrow(
      'Layer "rnn" (LSTM): expected input of rank 3 (batch, timesteps, features), got shape [null, 3]',
    );
    expect(() => infer('GRU', { units: 8 }, [null, 5, null])).toThrow(
      'expected input with a known last dimension (features), got shape [null, 5, null]',
    );
  });

  it('RNN takes units and states from its cell (or stacked cells)', () => {
    const cell = (className: string, units: number): JsonObject => ({ class_name: className, config: { units } });
    expect(infer('RNN', { cell: cell('LSTMCell', 7), return_state: true }, [null, 4, 2])).toEqual([
      [null, 7],
      [null, 7],
      [null, 7],
    ]);
    expect(
      infer('RNN', { cell: [cell('GRUCell', 3), cell('LSTMCell', 5)], return_sequences: true, return_state: true }, [
        null,
        4,
        2,
      ]),
    ).toEqual([
      [null, 4, 5],
      [null, 3],
      [null, 5],
      [null, 5],
    ]);
    expect(
      infer(
        'RNN',
        {
          cell: {
            class_name: 'StackedRNNCells',
            config: { cells: [cell('SimpleRNNCell', 2), cell('SimpleRNNCell', 9)] },
          },
        },
        [null, 4, 2],
      ),
    ).toEqual([[null, 9]]);
    expect(() => infer('RNN', { cell: { class_name: 'MyCell', config: {} } }, [null, 4, 2])).toThrow(UnknownLayerError);
  });
});

describe('Bidirectional', () => {
  it('merge_mode concat doubles the last dim; sum/mul/ave keep it; null gives two outputs', () => {
    expect(infer('Bidirectional', { layer: lstm({}), merge_mode: 'concat' }, [null, 5, 3])).toEqual([[null, 16]]);
    expect(infer('Bidirectional', { layer: lstm({ return_sequences: true }) }, [null, 5, 3])).toEqual([[null, 5, 16]]);
    expect(infer('Bidirectional', { layer: lstm({}), merge_mode: 'ave' }, [null, 5, 3])).toEqual([[null, 8]]);
    expect(infer('Bidirectional', { layer: lstm({}), merge_mode: null }, [null, 5, 3])).toEqual([
      [null, 8],
      [null, 8],
    ]);
  });

  it('return_state appends forward then backward states', () => {
    expect(
      infer(
        'Bidirectional',
        {
          layer: lstm({ return_state: true }),
          backward_layer: lstm({ return_state: true, go_backwards: true }),
          merge_mode: 'concat',
        },
        [null, 5, 3],
      ),
    ).toEqual([
      [null, 16],
      [null, 8],
      [null, 8],
      [null, 8],
      [null, 8],
    ]);
    expect(
      infer('Bidirectional', { layer: lstm({ return_state: true }), merge_mode: null }, [null, 5, 3]),
    ).toHaveLength(6);
  });

  it('rejects an unknown merge_mode and propagates inner shape errors', () => {
    expect(() => infer('Bidirectional', { layer: lstm({}), merge_mode: 'max' }, [null, 5, 3])).toThrow(
      'Layer "rnn" (Bidirectional): invalid config "merge_mode": expected one of "concat", "sum", "mul", "ave", null, got "max"',
    );
    expect(() => infer('Bidirectional', { layer: lstm({}) }, [null, 3])).toThrow(
      'Layer "rnn/forward" (LSTM): expected input of rank 3',
    );
  });
});

describe('TimeDistributed', () => {
  it('applies the inner layer to each timestep', () => {
    const dense = { class_name: 'Dense', config: { name: 'd', units: 4 } };
    expect(infer('TimeDistributed', { layer: dense }, [null, 10, 16])).toEqual([[null, 10, 4]]);
    const conv = { class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: 3 } };
    expect(infer('TimeDistributed', { layer: conv }, [null, 6, 8, 8, 1])).toEqual([[null, 6, 6, 6, 2]]);
    expect(() => infer('TimeDistributed', { layer: dense }, [null, 16])).toThrow(
      'Layer "rnn" (TimeDistributed): expected input of rank >= 3, got shape [null, 16]',
    );
  });
});

describe('recurrent layers called with initial states as extra inputs (tf.keras 2 `initial_state`)', () => {
  it('reads the sequence from the first input and checks one (batch, size) state per cell state', () => {
    expect(infer('LSTM', { units: 6, return_sequences: true }, [null, 3, 4], [null, 6], [null, 6])).toEqual([
      [null, 3, 6],
    ]);
    expect(infer('GRU', { units: 5 }, [null, 3, 4], [null, 5])).toEqual([[null, 5]]);
    expect(() => infer('LSTM', { units: 6 }, [null, 3, 4], [null, 6])).toThrow(
      'Layer "rnn" (LSTM): expected the sequence plus 2 initial state(s) of sizes 6, 6, got 2 inputs ([null, 3, 4], [null, 6])',
    );
    expect(() => infer('LSTM', { units: 6 }, [null, 3, 4], [null, 6], [null, 7])).toThrow(
      'initial state 1 must have shape (batch, 6), got [null, 7]',
    );
  });
});

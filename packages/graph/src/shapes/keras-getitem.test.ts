/**
 * `x[...]` (Keras's GetItem op) resolved against shapes; expected shapes are NumPy's for the same
 * key on an array of shape (2, 6, 5), and Keras's for the unknown batch size.
 */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../ir.js';
import { getItemShape, getItemSteps } from './keras-getitem.js';

const all: JsonValue = { class_name: '__slice__', config: { start: null, stop: null, step: null } };
const slice = (start: number | null, stop: number | null, step: number | null = null): JsonValue => ({
  class_name: '__slice__',
  config: { start, stop, step },
});
const ellipsis: JsonValue = { class_name: '__ellipsis__', config: {} };

describe('GetItem keys (NumPy basic indexing)', () => {
  it.each<[string, JsonValue, number[]]>([
    ['[:, -1, :]', [all, -1, all], [2, 5]],
    ['[..., 0]', [ellipsis, 0], [2, 6]],
    ['[:, None, 1:6:2]', [all, null, slice(1, 6, 2)], [2, 1, 3, 5]],
    ['[:, ::-1, 2:]', [all, slice(null, null, -1), slice(2, null)], [2, 6, 3]],
    ['[:, 4:1:-2]', [all, slice(4, 1, -2)], [2, 2, 5]],
    ['[1]', 1, [6, 5]],
    ['[:, -10:3]', [all, slice(-10, 3)], [2, 3, 5]],
    ['[..., None]', [ellipsis, null], [2, 6, 5, 1]],
  ])('%s', (_title, key, shape) => {
    expect(getItemShape([2, 6, 5], key)).toEqual(shape);
  });

  it('keeps an unknown batch size unknown, as Keras', () => {
    expect(getItemShape([null, 6, 5], [all, -1, all])).toEqual([null, 5]);
    expect(getItemShape([null, 6, 5], [all, null, slice(1, 6, 2)])).toEqual([null, 1, 3, 5]);
  });

  it('gives the steps a kernel runs (negative step indices counted from the end)', () => {
    expect(getItemSteps([2, 6, 5], [all, slice(4, 1, -2)])).toEqual([
      { kind: 'slice', axis: 0, start: 0, stop: 2, step: 1, size: 2 },
      { kind: 'slice', axis: 1, start: 4, stop: 1, step: -2, size: 2 },
      { kind: 'slice', axis: 2, start: 0, stop: 5, step: 1, size: 5 },
    ]);
  });

  it('says what is wrong with a key', () => {
    expect(() => getItemShape([2, 6], [0, 0, 0])).toThrow(/too many indices: 3 for a tensor of rank 2/);
    expect(() => getItemShape([2, 6], [all, 6])).toThrow(/index 6 is out of bounds for axis 1 with size 6/);
    expect(() => getItemShape([2, 6], [ellipsis, ellipsis])).toThrow(/single ellipsis/);
    expect(() => getItemShape([2, 6], 'x')).toThrow(/index "x" is not supported/);
  });
});

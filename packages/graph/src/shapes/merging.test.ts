import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { inferLayerOutputShapes } from './infer.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'merge', ...config }, inputs);

describe('merge layers', () => {
  it('Concatenate adds sizes on axis (default -1), null if any is unknown', () => {
    expect(infer('Concatenate', {}, [null, 3], [null, 5])).toEqual([[null, 8]]);
    expect(infer('Concatenate', { axis: 1 }, [null, 2, 4], [null, 3, 4], [null, 1, 4])).toEqual([[null, 6, 4]]);
    expect(infer('Concatenate', { axis: -1 }, [null, 2, 4], [null, 2, null])).toEqual([[null, 2, null]]);
    expect(() => infer('Concatenate', { axis: -1 }, [null, 2, 4], [null, 3, 4])).toThrow(
      'Layer "merge" (Concatenate): expected inputs with matching shapes except on the concatenation axis -1, got [null, 2, 4], [null, 3, 4]',
    );
    expect(() => infer('Concatenate', { axis: 3 }, [null, 2])).toThrow(
      'axis 3 is out of range for input shape [null, 2]',
    );
  });

  it.each(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum'])(
    '%s broadcasts like Keras (right-aligned, 1 stretches)',
    (className) => {
      expect(infer(className, {}, [null, 4], [null, 4], [null, 4])).toEqual([[null, 4]]);
      expect(infer(className, {}, [null, 3, 4], [null, 1])).toEqual([[null, 3, 4]]);
      expect(infer(className, {}, [8, 4], [null, null])).toEqual([[8, null]]);
    },
  );

  it('incompatible shapes and batch sizes are named', () => {
    expect(() => infer('Add', {}, [null, 32], [null, 64])).toThrow(
      'Layer "merge" (Add): expected inputs with broadcast-compatible shapes, got [null, 32], [null, 64] (non-batch dimensions 32 and 64 differ and neither is 1)',
    );
    expect(() => infer('Multiply', {}, [4, 3], [5, 3])).toThrow(
      'cannot merge tensors with different batch sizes: [4, 3], [5, 3]',
    );
    expect(() => infer('Add', {})).toThrow('Layer "merge" (Add): expected a list of at least 1 input, got 0');
  });

  it('Subtract takes exactly two inputs', () => {
    expect(infer('Subtract', {}, [null, 3], [null, 3])).toEqual([[null, 3]]);
    expect(() => infer('Subtract', {}, [null, 3], [null, 3], [null, 3])).toThrow(
      'Layer "merge" (Subtract): expected exactly 2 inputs, got 3',
    );
  });
});

describe('Dot', () => {
  const inferDot = (axes: unknown, a: (number | null)[], b: (number | null)[]) =>
    inferLayerOutputShapes('Dot', { axes } as JsonObject, [a, b], 'dot');
  it('contracts the given axes as Keras (batch kept; (batch, 1) when nothing else remains)', () => {
    expect(inferDot(1, [null, 4], [null, 4])).toEqual([[null, 1]]);
    expect(inferDot([2, 2], [null, 3, 5], [null, 7, 5])).toEqual([[null, 3, 7]]);
    expect(inferDot([1, 2], [null, 3, 5], [null, 4, 3])).toEqual([[null, 5, 4]]);
  });
  it('names the layer and both shapes when the contracted sizes differ', () => {
    expect(() => inferDot(1, [null, 4], [null, 5])).toThrow(
      /Layer "dot" \(Dot\): cannot contract axis 1 of \[null, 4\] \(size 4\) with axis 1 of \[null, 5\] \(size 5\)/,
    );
  });
});

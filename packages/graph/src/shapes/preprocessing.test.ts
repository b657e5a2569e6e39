import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { hasShapeRule, inferLayerOutputShapes } from './infer.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'l', ...config }, inputs);

describe('preprocessing layers', () => {
  it('StringLookup / IntegerLookup follow IndexLookup.compute_output_shape', () => {
    for (const cls of ['StringLookup', 'IntegerLookup']) {
      expect(hasShapeRule(cls)).toBe(true);
      expect(infer(cls, { output_mode: 'int', vocabulary_size: 5 }, [null, 3])).toEqual([[null, 3]]);
      expect(infer(cls, { output_mode: 'one_hot', vocabulary_size: 5 }, [null, 1])).toEqual([[null, 5]]);
      expect(infer(cls, { output_mode: 'one_hot', vocabulary_size: 5 }, [null])).toEqual([[null, 5]]);
      expect(infer(cls, { output_mode: 'multi_hot', vocabulary_size: 6 }, [null, 4])).toEqual([[null, 6]]);
      expect(
        infer(cls, { output_mode: 'count', pad_to_max_tokens: true, max_tokens: 9, vocabulary_size: 6 }, [null, 4]),
      ).toEqual([[null, 9]]);
    }
    expect(() => infer('StringLookup', { output_mode: 'bogus' }, [null, 2])).toThrow(/unknown output_mode "bogus"/);
  });

  it('TextVectorization: [batch, output_sequence_length] for int, [batch, depth] for encodings', () => {
    expect(infer('TextVectorization', { output_mode: 'int', output_sequence_length: 7 }, [null])).toEqual([[null, 7]]);
    expect(infer('TextVectorization', { output_mode: 'int', output_sequence_length: null }, [null, 1])).toEqual([
      [null, null],
    ]);
    expect(
      infer('TextVectorization', { output_mode: 'multi_hot', split: 'whitespace', vocabulary_size: 10 }, [null]),
    ).toEqual([[null, 10]]);
    expect(
      infer('TextVectorization', { output_mode: 'count', split: 'whitespace', vocabulary_size: 10 }, [null, 1]),
    ).toEqual([[null, 10]]);
  });

  it('Normalization keeps the shape', () => {
    expect(infer('Normalization', { axis: [-1] }, [null, 3])).toEqual([[null, 3]]);
  });
});

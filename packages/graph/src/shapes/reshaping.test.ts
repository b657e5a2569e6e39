import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { inferLayerOutputShapes } from './infer.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'l', ...config }, inputs);

describe('reshaping layers', () => {
  it('Flatten multiplies the non-batch dims (null if any is unknown, 1 for a rank-1 input)', () => {
    expect(infer('Flatten', {}, [null, 5, 5, 64])).toEqual([[null, 1600]]);
    expect(infer('Flatten', {}, [null, null, 3])).toEqual([[null, null]]);
    expect(infer('Flatten', {}, [7])).toEqual([[7, 1]]);
  });

  it('Reshape solves one -1 and checks the size', () => {
    expect(infer('Reshape', { target_shape: [-1, 4] }, [null, 4, 6])).toEqual([[null, 6, 4]]);
    expect(infer('Reshape', { target_shape: [2, 12] }, [null, 4, 6])).toEqual([[null, 2, 12]]);
    expect(infer('Reshape', { target_shape: [-1, 4] }, [null, null, 4])).toEqual([[null, null, 4]]);
    expect(() => infer('Reshape', { target_shape: [5, -1] }, [null, 4, 6])).toThrow(
      'Layer "l" (Reshape): cannot reshape input of shape [null, 4, 6] (24 values per sample) to target_shape [5,-1]',
    );
    expect(() => infer('Reshape', { target_shape: [-1, -1] }, [null, 4])).toThrow(
      'expected positive sizes and at most one -1',
    );
  });

  it('Permute reorders the non-batch axes (1-based dims)', () => {
    expect(infer('Permute', { dims: [2, 1] }, [null, 10, 64])).toEqual([[null, 64, 10]]);
    expect(() => infer('Permute', { dims: [1, 3] }, [null, 10, 64])).toThrow(
      'dims [1,3] must be a permutation of 1..2 for input shape [null, 10, 64]',
    );
  });

  it('RepeatVector inserts n timesteps', () => {
    expect(infer('RepeatVector', { n: 3 }, [null, 32])).toEqual([[null, 3, 32]]);
    expect(() => infer('RepeatVector', { n: 3 }, [null, 2, 32])).toThrow(
      'expected input of rank 2 (batch, features), got shape [null, 2, 32]',
    );
  });

  it('ZeroPadding1D/2D add to the spatial dims', () => {
    expect(infer('ZeroPadding1D', { padding: [1, 2] }, [null, 10, 3])).toEqual([[null, 13, 3]]);
    expect(infer('ZeroPadding1D', { padding: 2 }, [null, 10, 3])).toEqual([[null, 14, 3]]);
    expect(
      infer(
        'ZeroPadding2D',
        {
          padding: [
            [1, 1],
            [2, 0],
          ],
        },
        [null, 8, 8, 3],
      ),
    ).toEqual([[null, 10, 10, 3]]);
    expect(infer('ZeroPadding2D', { padding: [1, 2], data_format: 'channels_first' }, [null, 3, 8, 8])).toEqual([
      [null, 3, 10, 12],
    ]);
    expect(infer('ZeroPadding2D', {}, [null, 8, 8, 3])).toEqual([[null, 10, 10, 3]]);
    expect(() => infer('ZeroPadding2D', { padding: 'x' }, [null, 8, 8, 3])).toThrow(
      /invalid config "padding": expected an int, 2 ints or 2 \[before, after\] pairs/,
    );
  });

  it('Cropping1D/2D remove from the spatial dims and refuse to remove everything', () => {
    expect(infer('Cropping1D', { cropping: [1, 1] }, [null, 10, 3])).toEqual([[null, 8, 3]]);
    expect(
      infer(
        'Cropping2D',
        {
          cropping: [
            [2, 2],
            [4, 4],
          ],
        },
        [null, 28, 28, 3],
      ),
    ).toEqual([[null, 24, 20, 3]]);
    expect(
      infer(
        'Cropping2D',
        {
          cropping: [
            [1, 0],
            [0, 1],
          ],
          data_format: 'channels_first',
        },
        [null, 3, 5, null],
      ),
    ).toEqual([[null, 3, 4, null]]);
    expect(() => infer('Cropping1D', { cropping: [5, 5] }, [null, 10, 3])).toThrow(
      'Layer "l" (Cropping1D): cropping [[5,5]] removes all of dimension 10 of input shape [null, 10, 3]',
    );
  });

  it('UpSampling1D/2D multiply the spatial dims', () => {
    expect(infer('UpSampling1D', { size: 3 }, [null, 4, 2])).toEqual([[null, 12, 2]]);
    expect(infer('UpSampling2D', { size: [2, 3] }, [null, 4, 5, 2])).toEqual([[null, 8, 15, 2]]);
    expect(infer('UpSampling2D', { size: 2, data_format: 'channels_first' }, [null, 2, 4, null])).toEqual([
      [null, 2, 8, null],
    ]);
  });
});

/**
 * The `tf` namespace exported by `@strata/core` type-checks TF.js's chained ops (`pnpm typecheck`
 * compiles this file), and they run.
 */
import { describe, expect, it } from 'vitest';
import { tf } from './index.js';

describe('chained ops on the exported tf', () => {
  it('x.argMax, x.slice, x.reshape, x.mul type-check and compute', () => {
    const x = tf.tensor2d([
      [1, 5, 2],
      [7, 0, 3],
    ]);
    const best = x.argMax(-1);
    const firstRow = x.slice([0, 0], [1, 3]);
    const doubled = x.reshape([6]).mul(2);
    expect(best.arraySync()).toEqual([1, 0]);
    expect(firstRow.arraySync()).toEqual([[1, 5, 2]]);
    expect(doubled.arraySync()).toEqual([2, 10, 4, 14, 0, 6]);
    tf.dispose([x, best, firstRow, doubled]);
  });
});

/**
 * A functional model lists its layers in Keras's `map_graph` order (deepest first, ties by the
 * depth-first traversal from the outputs). The order decides the layer list of `config.json` and
 * the `layers/<class>_<n>` groups of the weights file, so it must be Keras's. The expected lists
 * were printed by real Keras 3.15.1 (`[l.name for l in model.layers]`) for the same graphs.
 */
import { describe, expect, it } from 'vitest';
import { Input } from './input-layer.js';
import { Model } from './model.js';
import '../layers/index.js';
import { Add, Concatenate } from '../layers/merging/index.js';
import { Dense } from '../layers/core/index.js';

describe('Functional layer order (Keras map_graph)', () => {
  it('two inputs, a shared layer and two heads', () => {
    const a = Input([4], { name: 'in_a' });
    const b = Input([4], { name: 'in_b' });
    const shared = new Dense(6, { name: 'shared_dense' });
    const [da, db] = [shared.apply(a), shared.apply(b)];
    const outConcat = new Dense(3, { name: 'out_concat' }).apply(new Concatenate({ name: 'concat' }).apply([da, db]));
    const outAdd = new Dense(2, { name: 'out_add' }).apply(new Add({ name: 'add' }).apply([da, db]));
    const model = new Model({ inputs: [a, b], outputs: [outConcat, outAdd] });
    expect(model.layers.map((l) => l.name)).toEqual([
      'in_a',
      'in_b',
      'shared_dense',
      'concat',
      'add',
      'out_concat',
      'out_add',
    ]);
    model.dispose();
  });

  it('a skip connection, a second head and an input no output uses', () => {
    const x = Input([8], { name: 'x' });
    const unused = Input([3], { name: 'unused' });
    let h = new Dense(8, { name: 'h1' }).apply(x);
    const skip = new Dense(8, { name: 'skip' }).apply(x);
    h = new Dense(8, { name: 'h3' }).apply(new Dense(8, { name: 'h2' }).apply(h));
    const sum = new Add({ name: 'sum' }).apply([skip, h]);
    const head2 = new Dense(1, { name: 'head2' }).apply(x);
    const model = new Model({ inputs: [x, unused], outputs: [sum, head2] });
    expect(model.layers.map((l) => l.name)).toEqual(['x', 'h1', 'h2', 'skip', 'h3', 'unused', 'sum', 'head2']);
    model.dispose();
  });
});

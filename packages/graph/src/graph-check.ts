/**
 * Whether a model's layer graph can run at all: every call reads a layer (and node) that
 * exists, calls do not depend on each other in a cycle, and the model's inputs and outputs
 * name existing layers. Readers of files check this once, so the loader, `strata lint` and
 * `strata summary` refuse the same broken files.
 */
import { ModelFormatError } from './codecs/errors.js';
import type { ModelIR, TensorRef } from './ir.js';
import { callOrder } from './walk.js';

/**
 * Checks the layer graph of `ir` and of every nested model.
 *
 * @throws ModelFormatError naming the model, layer and reference at fault (dangling
 *   reference, missing node, cycle, or an input/output naming no layer)
 */
export function checkModelGraph(ir: ModelIR): void {
  const pending: ModelIR[] = [ir];
  while (pending.length > 0) {
    const model = pending.pop()!;
    callOrder(model);
    const names = new Set(model.layers.map((layer) => layer.name));
    const check = (refs: readonly TensorRef[], what: string): void => {
      for (const ref of refs) {
        if (!names.has(ref.layer)) throw new ModelFormatError(`model "${model.name}"`, `${what} refers to missing layer "${ref.layer}"`);
      }
    };
    check(model.inputs, 'input');
    check(model.outputs, 'output');
    for (const layer of model.layers) if (layer.model !== undefined) pending.push(layer.model);
  }
}

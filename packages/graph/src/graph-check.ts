/**
 * Whether a model's layer graph can run at all: every call reads a layer (and node) that
 * exists, calls do not depend on each other in a cycle, and the model's inputs and outputs
 * name existing layers. Readers of files check this once, so the loader, `strata lint` and
 * `strata summary` refuse the same broken files.
 */
import { ModelFormatError } from './codecs/errors.js';
import type { LayerIR, ModelIR, TensorRef } from './ir.js';
import { callInputs } from './walk.js';

const stepKey = (layer: string, node: number): string => `${layer}\u0000${node}`;

/**
 * The step a reference reads. Keras numbers the calls of a nested model from 1 in some places
 * (Keras 2 / TF.js configs, Keras 3 `output_layers`) and from 0 in others, so a reference one past
 * a nested model's calls means its last call rather than a missing node.
 */
function producerStep(
  ref: TensorRef,
  layers: ReadonlyMap<string, LayerIR>,
  steps: ReadonlyMap<string, number>,
  where: string,
): number {
  const layer = layers.get(ref.layer);
  if (layer === undefined) throw new ModelFormatError(where, `input refers to missing layer "${ref.layer}"`);
  const exact = steps.get(stepKey(ref.layer, ref.node));
  if (exact !== undefined) return exact;
  const shifted = layer.model !== undefined ? steps.get(stepKey(ref.layer, ref.node - 1)) : undefined;
  if (shifted !== undefined) return shifted;
  throw new ModelFormatError(where, `input refers to missing node ${ref.node} of layer "${ref.layer}"`);
}

/** Checks one model (not its nested models): dangling references and cycles between calls. */
function checkCalls(model: ModelIR): void {
  const layers = new Map(model.layers.map((layer) => [layer.name, layer]));
  const steps: { layer: LayerIR; node: number }[] = [];
  for (const layer of model.layers) {
    if (layer.nodes.length === 0) steps.push({ layer, node: 0 });
    layer.nodes.forEach((_, node) => steps.push({ layer, node }));
  }
  const index = new Map(steps.map((step, i) => [stepKey(step.layer.name, step.node), i]));
  const waiting = steps.map(() => 0);
  const dependents: number[][] = steps.map(() => []);
  const names = new Set(layers.keys());
  steps.forEach((step, i) => {
    const call = step.layer.nodes[step.node];
    if (call === undefined) return;
    const producers = new Set<number>();
    for (const { ref } of callInputs(call, names)) {
      producers.add(producerStep(ref, layers, index, `layer "${step.layer.name}" node ${step.node}`));
    }
    for (const producer of producers) {
      waiting[i] = waiting[i]! + 1;
      dependents[producer]!.push(i);
    }
  });
  const ready = steps.map((_, i) => i).filter((i) => waiting[i] === 0);
  for (let next = 0; next < ready.length; next++) {
    for (const dependent of dependents[ready[next]!]!) {
      waiting[dependent] = waiting[dependent]! - 1;
      if (waiting[dependent] === 0) ready.push(dependent);
    }
  }
  if (ready.length < steps.length) {
    const stuck = [...new Set(steps.filter((_, i) => waiting[i]! > 0).map((step) => `"${step.layer.name}"`))];
    throw new ModelFormatError(`model "${model.name}"`, `the layer graph has a cycle through ${stuck.join(', ')}`);
  }
}

/**
 * Checks the layer graph of `ir` and of every nested model, in time linear in its size.
 *
 * @throws ModelFormatError naming the model, layer and reference at fault (dangling
 *   reference, missing node, cycle, or an input/output naming no layer)
 */
export function checkModelGraph(ir: ModelIR): void {
  const pending: ModelIR[] = [ir];
  while (pending.length > 0) {
    const model = pending.pop()!;
    checkCalls(model);
    const names = new Set(model.layers.map((layer) => layer.name));
    const check = (refs: readonly TensorRef[], what: string): void => {
      for (const ref of refs) {
        if (!names.has(ref.layer))
          throw new ModelFormatError(`model "${model.name}"`, `${what} refers to missing layer "${ref.layer}"`);
      }
    };
    check(model.inputs, 'input');
    check(model.outputs, 'output');
    for (const layer of model.layers) if (layer.model !== undefined) pending.push(layer.model);
  }
}

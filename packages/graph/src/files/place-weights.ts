/**
 * Places weights read from any model file at the Keras 3 paths of a model
 * (`layers/<group>/…/vars/<i>`), without building the model: legacy `.h5` and TF.js files
 * name weights `layer/…/kernel:0`, in their own order (Keras 2 lists a Bidirectional's forward
 * weights first and a nested model's trainable weights first; Keras 3 saves `backward_layer`
 * first and each layer in turn).
 *
 * @packageDocumentation
 */
import type { ModelIR } from '../ir.js';
import { ModelFileError } from './errors.js';
import { hasKnownVariables, kerasVariableGroups, type KerasVariableGroup } from './keras3-variables.js';
import type { WeightEntry } from './types.js';

const KERAS3_PATH = /(^|\/)vars\/\d+$/;

/** True when every entry already sits at a Keras 3 dataset path. */
export function hasKeras3Paths(entries: readonly WeightEntry[]): boolean {
  return entries.length > 0 && entries.every((entry) => KERAS3_PATH.test(entry.path));
}

/** A legacy weight name's components, without the `:0` suffix. */
function components(entry: WeightEntry): string[] {
  return entry.path.replace(/:\d+$/, '').split('/');
}

function matchesHints(entry: WeightEntry, hints: readonly string[]): boolean {
  const parts = components(entry);
  return hints.every((hint) => parts.some((part) => part === hint || part.startsWith(`${hint}_`)));
}

function describeShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/**
 * Returns the entries with Keras 3 `path`s, in Keras 3 save order. Entries already at Keras 3
 * paths are returned unchanged. Legacy entries are matched per top-level layer: by sub-object
 * (hints such as `forward`, a nested layer's name) and variable name, then by position for
 * names that differ between versions.
 *
 * @param source - the file the weights came from, for errors
 * @throws ModelFileError naming the layer when the weights do not fit the model's variables
 */
export function placeWeightsForKeras3(model: ModelIR, entries: readonly WeightEntry[], source: string): WeightEntry[] {
  if (entries.length === 0 || hasKeras3Paths(entries)) return [...entries];
  const byLayer = new Map<string, WeightEntry[]>();
  const owners = nestedOwners(model);
  for (const entry of entries) {
    let layerName = entry.layerName ?? components(entry)[0]!;
    // TF.js names a nested model's weights after the inner layer only: give them to the model.
    if (!model.layers.some((layer) => layer.name === layerName)) layerName = owners.get(layerName) ?? layerName;
    byLayer.set(layerName, [...(byLayer.get(layerName) ?? []), entry]);
  }
  const groupsByLayer = new Map<string, KerasVariableGroup[]>();
  for (const group of kerasVariableGroups(model))
    groupsByLayer.set(group.layerName, [...(groupsByLayer.get(group.layerName) ?? []), group]);
  const placed: WeightEntry[] = [];
  for (const layer of model.layers) {
    const stored = byLayer.get(layer.name) ?? [];
    byLayer.delete(layer.name);
    if (stored.length === 0) continue;
    if (!hasKnownVariables(layer)) {
      throw new ModelFileError(
        source,
        `layer "${layer.name}" (${layer.className}) has ${stored.length} weight(s), but Strata does not know where Keras 3 keeps the variables of this class`,
      );
    }
    placed.push(...placeLayer(layer.name, layer.className, groupsByLayer.get(layer.name) ?? [], stored, source));
  }
  if (byLayer.size > 0) {
    throw new ModelFileError(
      source,
      `has weights for layers the model does not have: ${[...byLayer.keys()].join(', ')}`,
    );
  }
  return placed;
}

/** Inner layer name → the top-level nested model that holds it (at any depth). */
function nestedOwners(model: ModelIR): Map<string, string> {
  const owners = new Map<string, string>();
  const visit = (inner: ModelIR, owner: string): void => {
    for (const layer of inner.layers) {
      if (!owners.has(layer.name)) owners.set(layer.name, owner);
      if (layer.model !== undefined) visit(layer.model, owner);
    }
  };
  for (const layer of model.layers) if (layer.model !== undefined) visit(layer.model, layer.name);
  return owners;
}

function placeLayer(
  layerName: string,
  className: string,
  groups: readonly KerasVariableGroup[],
  stored: readonly WeightEntry[],
  source: string,
): WeightEntry[] {
  const slots = groups.flatMap((group) => group.variables.map((names, index) => ({ group, names, index })));
  if (slots.length !== stored.length) {
    const expected = slots.map((slot) => `${slot.group.path}/${slot.names[0]}`).join(', ') || 'none';
    throw new ModelFileError(
      source,
      `layer "${layerName}" (${className}) has ${stored.length} weight(s) [${stored.map((e) => `${e.path} ${describeShape(e.shape)}`).join(', ')}], but Keras 3 keeps ${slots.length} [${expected}]`,
    );
  }
  const chosen = new Map<number, WeightEntry>();
  const used = new Set<WeightEntry>();
  // First by sub-object and name, then the rest by position within the sub-object.
  slots.forEach((slot, i) => {
    const match = stored.find(
      (entry) =>
        !used.has(entry) && matchesHints(entry, slot.group.hints) && slot.names.includes(components(entry).at(-1)!),
    );
    if (match !== undefined) {
      chosen.set(i, match);
      used.add(match);
    }
  });
  slots.forEach((slot, i) => {
    if (chosen.has(i)) return;
    const match =
      stored.find((entry) => !used.has(entry) && matchesHints(entry, slot.group.hints)) ??
      stored.find((entry) => !used.has(entry));
    if (match === undefined) return;
    chosen.set(i, match);
    used.add(match);
  });
  return slots.map((slot, i) => {
    const entry = chosen.get(i)!;
    return { ...entry, path: `${slot.group.path}/vars/${slot.index}`, layerName };
  });
}

/**
 * Puts weights read from a file into a model's variables, checking every count and
 * shape first (so a mismatch leaves the model untouched) with errors that name the
 * layer and the expected and actual shapes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WeightEntry, WeightInfo } from '@strata/graph';
import { Functional } from '../engine/functional.js';
import type { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/variable.js';
import { ModelLoadError } from './class-lookup.js';
import { kerasWeightSlots } from './weight-slots.js';

const KERAS3_PATH = /(^|\/)vars\/\d+$/;

function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function describeVariables(variables: readonly LayerVariable[]): string {
  return variables.length === 0 ? 'none' : variables.map((v) => `${v.name} ${shapeText(v.shape)}`).join(', ');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The model's weights as file entries at their Keras 3 paths (`layers/dense/vars/0`, …). */
export async function kerasWeightEntries(model: Layer): Promise<WeightEntry[]> {
  const entries: WeightEntry[] = [];
  for (const slot of kerasWeightSlots(model)) {
    for (const [i, variable] of slot.variables.entries()) {
      const data = await variable.value.data();
      const path = slot.path === '' ? `vars/${i}` : `${slot.path}/vars/${i}`;
      entries.push({
        path,
        layerName: slot.layer.name,
        shape: [...variable.shape],
        dtype: variable.value.dtype === 'int32' ? 'int32' : 'float32',
        data: data instanceof Int32Array ? data : Float32Array.from(data as ArrayLike<number>),
      });
    }
  }
  return entries;
}

type Assignment<E extends WeightInfo = WeightEntry> = [LayerVariable, E];

function checkedPairs<E extends WeightInfo>(
  layer: Layer,
  variables: readonly LayerVariable[],
  entries: readonly E[],
  where: string,
  source: string,
): Assignment<E>[] {
  if (variables.length !== entries.length) {
    throw new ModelLoadError(
      `Layer "${layer.name}" (${layer.className}) expects ${variables.length} weight(s) [${describeVariables(variables)}], ` +
        `but ${source} has ${entries.length} at ${where} [${entries.map((e) => shapeText(e.shape)).join(', ') || 'none'}]`,
    );
  }
  return variables.map((variable, i) => {
    const entry = entries[i]!;
    if (!sameShape(variable.shape, entry.shape)) {
      throw new ModelLoadError(
        `Layer "${layer.name}" (${layer.className}): weight ${variable.name} expects shape ${shapeText(variable.shape)}, ` +
          `but ${source} has shape ${shapeText(entry.shape)} at ${entry.path}`,
      );
    }
    return [variable, entry];
  });
}

/** Entries of a Keras 3 file keyed by normalized group path (the `vars/<i>` part removed). */
function keras3Groups<E extends WeightInfo>(entries: readonly E[]): Map<string, E[]> {
  const groups = new Map<string, E[]>();
  for (const entry of entries) {
    // Files from the Keras 2.13 era name the layer container `_layer_checkpoint_dependencies`.
    const path = entry.path.replace(/(^|\/)_layer_checkpoint_dependencies(?=\/)/g, '$1layers');
    const match = /^(?:(.*)\/)?vars\/(\d+)$/.exec(path);
    if (!match) continue;
    const group = match[1] ?? '';
    const list = groups.get(group) ?? [];
    list[Number(match[2])] = entry;
    groups.set(group, list);
  }
  return groups;
}

function keras3Assignments<E extends WeightInfo>(model: Layer, entries: readonly E[], source: string): Assignment<E>[] {
  const groups = keras3Groups(entries);
  const pairs: Assignment<E>[] = [];
  const used = new Set<string>();
  for (const slot of kerasWeightSlots(model)) {
    let stored = groups.get(slot.path);
    let where = `${slot.path === '' ? '' : `${slot.path}/`}vars`;
    if (stored === undefined && slot.variables.length > 0) {
      // Keras ≥ 3.6 tags each `vars` group with its layer's name: use it when class-name paths differ.
      const byName = [...groups.entries()].find(
        ([group, list]) => !used.has(group) && list.some((e) => e?.layerName === slot.layer.name),
      );
      if (byName) [where, stored] = [`${byName[0]}/vars`, byName[1]];
    }
    if (stored === undefined && slot.variables.length === 0) continue;
    if (stored === undefined) {
      throw new ModelLoadError(
        `Layer "${slot.layer.name}" (${slot.layer.className}) expects ${slot.variables.length} weight(s) [${describeVariables(slot.variables)}], ` +
          `but ${source} has no group ${slot.path === '' ? '' : `${slot.path}/`}vars`,
      );
    }
    used.add(where.replace(/\/?vars$/, ''));
    pairs.push(
      ...checkedPairs(
        slot.layer,
        slot.variables,
        stored.filter((e) => e !== undefined),
        where,
        source,
      ),
    );
  }
  const unused = [...groups.keys()].filter(
    (g) => !used.has(g) && g.startsWith('layers/') && groups.get(g)!.some((e) => e !== undefined),
  );
  if (unused.length > 0) {
    throw new ModelLoadError(
      `${source} has weights for layers the model does not have: ${unused.map((g) => `${g}/vars`).join(', ')}`,
    );
  }
  return pairs;
}

/** Name of a stored weight without Keras 2's `:0` suffix. */
function storedName(entry: WeightInfo): string {
  return entry.path.replace(/:\d+$/, '');
}

/** Orders a layer's variables as the file does: by name when every one is found, else by position. */
function orderForLegacy(layer: Layer, entries: readonly WeightInfo[]): LayerVariable[] {
  const variables = layer.weights;
  const byName = variables.map((v) => entries.filter((e) => storedName(e).endsWith(`${v.owner.name}/${v.name}`)));
  if (byName.every((found) => found.length === 1)) {
    const index = new Map(entries.map((e, i) => [e, i]));
    return [...variables].sort(
      (a, b) => index.get(byName[variables.indexOf(a)]![0]!)! - index.get(byName[variables.indexOf(b)]![0]!)!,
    );
  }
  // Keras 2 wrote `trainable_weights + non_trainable_weights`; try that order, then creation order.
  const trainableFirst = [
    ...variables.filter((v) => v.createdTrainable),
    ...variables.filter((v) => !v.createdTrainable),
  ];
  const fits = (order: LayerVariable[]): boolean =>
    order.length === entries.length && order.every((v, i) => sameShape(v.shape, entries[i]!.shape));
  return fits(trainableFirst) ? trainableFirst : variables;
}

/** Inner layer name → the top-level nested model that holds it (at any depth). */
function nestedOwners(model: Functional): Map<string, string> {
  const owners = new Map<string, string>();
  const visit = (inner: Functional, owner: string): void => {
    for (const layer of inner.layers) {
      if (!owners.has(layer.name)) owners.set(layer.name, owner);
      if (layer instanceof Functional) visit(layer, owner);
    }
  };
  for (const layer of model.layers) if (layer instanceof Functional) visit(layer, layer.name);
  return owners;
}

function legacyAssignments<E extends WeightInfo>(
  model: Functional,
  entries: readonly E[],
  source: string,
): Assignment<E>[] {
  const groups = new Map<string, E[]>();
  const owners = nestedOwners(model);
  const topLevel = new Set(model.layers.map((layer) => layer.name));
  for (const entry of entries) {
    let layerName =
      entry.layerName ?? (entry.path.includes('/') ? entry.path.slice(0, entry.path.indexOf('/')) : entry.path);
    // TF.js names a nested model's weights after the inner layer only (`inner_dense/kernel`).
    if (!topLevel.has(layerName)) layerName = owners.get(layerName) ?? layerName;
    groups.set(layerName, [...(groups.get(layerName) ?? []), entry]);
  }
  const pairs: Assignment<E>[] = [];
  const used = new Set<string>();
  for (const layer of model.layers) {
    const stored = groups.get(layer.name) ?? [];
    if (layer.weights.length === 0 && stored.length === 0) continue;
    used.add(layer.name);
    pairs.push(...checkedPairs(layer, orderForLegacy(layer, stored), stored, `layer group "${layer.name}"`, source));
  }
  const unused = [...groups.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new ModelLoadError(
      `${source} has weights for layers the model does not have: ${unused.join(', ')} (model layers: ${model.layers.map((l) => l.name).join(', ')})`,
    );
  }
  return pairs;
}

function matchWeights<E extends WeightInfo>(model: Functional, entries: readonly E[], source: string): Assignment<E>[] {
  const keras3 = entries.length > 0 && entries.every((e) => KERAS3_PATH.test(e.path));
  return keras3 ? keras3Assignments(model, entries, source) : legacyAssignments(model, entries, source);
}

/**
 * Checks the weights a file declares (paths, owners, shapes; no values) against the model
 * with the same rules as {@link assignWeights}, so a file whose arrays do not fit the
 * model's layers is refused before any array is read.
 *
 * @throws ModelLoadError naming the layer, expected and declared weights on any mismatch
 */
export function checkDeclaredWeights(model: Functional, declared: readonly WeightInfo[], source: string): void {
  matchWeights(model, declared, source);
}

/**
 * Assigns file weights to a model: Keras 3 files by group path (`layers/<class>/vars/<i>`,
 * with the `name` attribute as fallback), Keras 2 `.h5` and TF.js files by layer name.
 * All counts and shapes are checked before any variable changes.
 *
 * @param source - how to name the file in errors
 * @throws ModelLoadError naming the layer, expected and actual weights on any mismatch
 */
export function assignWeights(model: Functional, entries: readonly WeightEntry[], source: string): void {
  const pairs = matchWeights(model, entries, source);
  for (const [variable, entry] of pairs) {
    tf.tidy(() => {
      const value = tf.tensor(entry.data, entry.shape, entry.data instanceof Int32Array ? 'int32' : 'float32');
      variable.assign(value);
    });
  }
}

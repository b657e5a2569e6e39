/**
 * Where each variable of a model lives in a Keras 3 weights file (`model.weights.h5`,
 * `.weights.h5`), following `saving_lib._save_state`: an object's own variables at
 * `<path>/vars/<i>` (trainable first, then non-trainable); a model's layers under
 * `<path>/layers/<snake_case class name, de-duplicated _1, _2…>`; other sublayers at
 * `<path>/<attribute name>` (e.g. an RNN's `cell`, Bidirectional's `forward_layer` /
 * `backward_layer`), attributes in sorted order with private ones last; an object
 * reached twice is stored once.
 */
import { kerasSnakeCase } from '@strata/graph';
import { toSnakeCase } from '../utils/config-case.js';
import { Functional } from '../engine/functional.js';
import type { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/variable.js';
import { OpLayer } from '../layers/ops/op-layer.js';

/** The variables one layer owns directly, and the group that holds them. */
export interface WeightSlot {
  /** Group path without `/vars`, e.g. `layers/dense_1` or `layers/lstm/cell` (`''` for the model). */
  path: string;
  /** The owning layer. */
  layer: Layer;
  /** Its own variables, in Keras order. */
  variables: LayerVariable[];
}

/** A layer's own variables (not its sublayers'), trainable ones first, as `save_own_variables`. */
export function ownVariables(layer: Layer): LayerVariable[] {
  const inherited = new Set<LayerVariable>();
  for (const sub of layer.trackedLayers) for (const w of sub.weights) inherited.add(w);
  const own = layer.weights.filter((w) => !inherited.has(w));
  return [...own.filter((w) => w.createdTrainable), ...own.filter((w) => !w.createdTrainable)];
}

/** `_name_key`: private attributes are visited last. */
function nameKey(name: string): string {
  return name.startsWith('_') ? `~${name}` : name;
}

/** Bookkeeping properties of the base `Layer` (Keras's attribute skip-set). */
const BASE_PROPERTIES = new Set(['sublayers', 'ownWeights', 'inboundNodes']);

/** Attribute names (snake_case) under which a layer holds each sublayer or list of sublayers. */
function sublayerAttributes(layer: Layer): { attribute: string; value: Layer | Layer[] }[] {
  const tracked = new Set(layer.trackedLayers);
  const found: { attribute: string; value: Layer | Layer[] }[] = [];
  const claimed = new Set<Layer>();
  const entries = Object.entries(layer as unknown as Record<string, unknown>)
    .filter(([name]) => !BASE_PROPERTIES.has(name))
    .map(([name, value]) => ({ attribute: toSnakeCase(name), value }))
    .sort((a, b) =>
      nameKey(a.attribute) < nameKey(b.attribute) ? -1 : nameKey(a.attribute) > nameKey(b.attribute) ? 1 : 0,
    );
  for (const { attribute, value } of entries) {
    if (value instanceof Object && tracked.has(value as Layer)) {
      found.push({ attribute, value: value as Layer });
      claimed.add(value as Layer);
    } else if (Array.isArray(value) && value.length > 0 && value.every((v) => tracked.has(v as Layer))) {
      found.push({ attribute, value: value as Layer[] });
      for (const v of value as Layer[]) claimed.add(v);
    }
  }
  const unnamed = [...tracked].filter((l) => !claimed.has(l));
  // Sublayers not held in a named property: keep them addressable, as a container.
  if (unnamed.length > 0) found.push({ attribute: 'layers', value: unnamed });
  return found;
}

/**
 * Lists the weight groups of a model (or layer) in Keras 3's layout, in save order.
 * Every object gets a slot, also those without variables (Keras writes an empty `vars`).
 */
export function kerasWeightSlots(root: Layer): WeightSlot[] {
  const slots: WeightSlot[] = [];
  const visited = new Set<Layer>();
  const join = (base: string, part: string): string => (base === '' ? part : `${base}/${part}`);
  const visitContainer = (layers: Layer[], path: string): void => {
    const used = new Map<string, number>();
    for (const layer of layers) {
      // `keras.ops` calls are not layers for Keras (`Functional.layers` skips them): no group, no numbering.
      if (layer instanceof OpLayer) continue;
      const base = kerasSnakeCase(layer.className);
      const count = used.get(base);
      used.set(base, count === undefined ? 0 : count + 1);
      visit(layer, join(path, count === undefined ? base : `${base}_${count + 1}`));
    }
  };
  const visit = (layer: Layer, path: string): void => {
    if (visited.has(layer)) return;
    visited.add(layer);
    slots.push({ path, layer, variables: ownVariables(layer) });
    if (layer instanceof Functional) {
      visitContainer(layer.layers, join(path, 'layers'));
      return;
    }
    for (const { attribute, value } of sublayerAttributes(layer)) {
      if (Array.isArray(value)) visitContainer(value, join(path, attribute));
      else visit(value, join(path, attribute));
    }
  };
  visit(root, '');
  return slots;
}

/**
 * Every object of a model's weights file with its group path and name, for the writer to give
 * each a named `vars` group (Keras writes one per object, also for an RNN's `cell` or
 * Bidirectional's `forward_layer` that hold no variables of their own).
 */
export function kerasWeightObjects(root: Layer): { path: string; name: string }[] {
  return kerasWeightSlots(root).map((slot) => ({ path: slot.path, name: slot.layer.name }));
}

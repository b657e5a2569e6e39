/**
 * tf.keras 2 allowed "/" in layer names (published audio models use `layer1/conv`); Keras 3 and
 * Strata do not, because "/" separates weight paths. Files from Keras 2 / TF.js are loaded with
 * such names sanitised ("/" → "_", made unique), with one warning naming every old → new, and
 * the file's weight entries — stored under the old names — are renamed to match.
 */
import type { CallNode, JsonObject, JsonValue, LayerIR, ModelIR, TensorRef } from '@strata/graph';

/** Old layer name → new layer name. */
export type LayerRenames = ReadonlyMap<string, string>;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renameRef(ref: TensorRef, renames: LayerRenames): TensorRef {
  const to = renames.get(ref.layer);
  return to === undefined ? ref : { ...ref, layer: to };
}

function renameNode(node: CallNode, renames: LayerRenames): CallNode {
  return { ...node, inputs: node.inputs.map((ref) => renameRef(ref, renames)) };
}

/** The config with its `name` (and a wrapped layer's name, e.g. TimeDistributed) sanitised. */
function renameConfig(config: JsonObject, to: string | undefined, all: Map<string, string>): JsonObject {
  let out = config;
  if (to !== undefined && typeof config['name'] === 'string') out = { ...out, name: to };
  const inner = config['layer'];
  if (
    isObject(inner) &&
    isObject(inner['config']) &&
    typeof inner['config']['name'] === 'string' &&
    inner['config']['name'].includes('/')
  ) {
    const from = inner['config']['name'];
    const innerTo = from.replaceAll('/', '_');
    all.set(from, all.get(from) ?? innerTo);
    out = { ...out, layer: { ...inner, config: { ...inner['config'], name: innerTo } } };
  }
  return out;
}

function sanitizeModel(ir: ModelIR, all: Map<string, string>): ModelIR {
  const taken = new Set(ir.layers.map((l) => l.name));
  const renames = new Map<string, string>();
  for (const layer of ir.layers) {
    if (!layer.name.includes('/')) continue;
    const base = layer.name.replaceAll('/', '_');
    let candidate = base;
    for (let i = 1; taken.has(candidate); i++) candidate = `${base}_${i}`;
    taken.add(candidate);
    renames.set(layer.name, candidate);
    if (!all.has(layer.name)) all.set(layer.name, candidate);
  }
  const layers = ir.layers.map((layer): LayerIR => {
    const to = renames.get(layer.name);
    const model =
      layer.model === undefined
        ? undefined
        : sanitizeModel(to === undefined ? layer.model : { ...layer.model, name: to }, all);
    return {
      ...layer,
      name: to ?? layer.name,
      config: renameConfig(layer.config, to, all),
      nodes: layer.nodes.map((node) => renameNode(node, renames)),
      ...(model === undefined ? {} : { model }),
    };
  });
  return {
    ...ir,
    layers,
    inputs: ir.inputs.map((r) => renameRef(r, renames)),
    outputs: ir.outputs.map((r) => renameRef(r, renames)),
  };
}

/**
 * Sanitises layer names containing "/" in a Keras 2 / TF.js model IR (nested models and wrapped
 * layers included) and warns once, naming each old → new, when any was renamed.
 *
 * @returns the IR to build (the same object when nothing changed) and the renames
 */
export function sanitizeLegacyLayerNames(
  ir: ModelIR,
  source = `Model "${ir.name}"`,
): { ir: ModelIR; renames: LayerRenames } {
  const all = new Map<string, string>();
  const sanitized = sanitizeModel(ir, all);
  if (all.size === 0) return { ir, renames: all };
  console.warn(
    `${source} has layer names containing "/", which Keras 2 allowed and Keras 3 refuses; they were renamed: ` +
      [...all].map(([from, to]) => `"${from}" → "${to}"`).join(', '),
  );
  return { ir: sanitized, renames: all };
}

/** Replaces `from` where it is a whole run of path segments of `path` (at the start or after a "/"). */
function replaceSegments(path: string, from: string, to: string): string {
  if (path === from) return to;
  let out = path.startsWith(`${from}/`) ? `${to}/${path.slice(from.length + 1)}` : path;
  out = out.replaceAll(`/${from}/`, `/${to}/`);
  return out.endsWith(`/${from}`) ? `${out.slice(0, -from.length)}${to}` : out;
}

/** The file's weight entries with the renamed layers' names (owner and path) replaced. */
export function renameWeightEntries<T extends { path: string; layerName?: string }>(
  entries: readonly T[],
  renames: LayerRenames,
): T[] {
  if (renames.size === 0) return [...entries];
  // Longest names first, so "a/b/c" is replaced before "a/b" could split it.
  const order = [...renames].sort(([a], [b]) => b.length - a.length);
  return entries.map((entry) => {
    let path = entry.path;
    for (const [from, to] of order) path = replaceSegments(path, from, to);
    const layerName = entry.layerName === undefined ? undefined : (renames.get(entry.layerName) ?? entry.layerName);
    return { ...entry, path, ...(layerName === undefined ? {} : { layerName }) };
  });
}

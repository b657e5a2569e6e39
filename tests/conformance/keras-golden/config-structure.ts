/**
 * What "Strata's config.json agrees with Keras's" means in the conformance suite.
 *
 * Two Keras 3 model configs agree when, walking both together:
 *  - the model's `module`, `class_name`, `registered_name`, name, `input_layers` and
 *    `output_layers` are equal;
 *  - the layers are the same, in the same order, each with equal `module`, `class_name`,
 *    `registered_name`, name and calls (`inbound_nodes`: every `__keras_tensor__` compared by
 *    `keras_history` `[layer, node, index]`, shape and dtype; constants and kwargs verbatim);
 *  - every layer `config` value both files have is equal (nested initializers etc. included).
 *    A key only Keras's file has is allowed when its value is `null` or `false`: newer Keras
 *    releases add switched-off options (`quantization_config`, `optional`, an initializer's
 *    `input_axes`) that Keras reads as absent, and Strata writes the layout of an earlier 3.x
 *    release. A key only Strata writes is a difference.
 *  - Keras's object-sharing bookkeeping (`shared_object_id`) is ignored; it changes between runs.
 * `build_config` and `compile_config` are left out: the first follows from the calls, the second
 * is checked by the compile round-trip tests.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IGNORED = new Set(['shared_object_id', 'build_config', 'compile_config']);

/**
 * The differences between Strata's config (`ours`) and Keras's (`theirs`) under the rules above,
 * as `path: ours vs theirs` lines; empty when they agree.
 */
export function configDifferences(ours: Json, theirs: Json, path = ''): string[] {
  if (isObject(ours) && isObject(theirs)) {
    if (ours['class_name'] === '__keras_tensor__' || theirs['class_name'] === '__keras_tensor__') {
      const reduce = (t: { [key: string]: Json }): Json => {
        const c = isObject(t['config']) ? t['config'] : {};
        return [c['keras_history'] ?? null, c['shape'] ?? null, c['dtype'] ?? null];
      };
      return configDifferences(reduce(ours), reduce(theirs), path);
    }
    const out: string[] = [];
    for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      if (IGNORED.has(key)) continue;
      const where = path === '' ? key : `${path}.${key}`;
      if (!(key in theirs)) out.push(`${where}: written by Strata only (${JSON.stringify(ours[key])})`);
      else if (!(key in ours)) {
        if (theirs[key] !== null && theirs[key] !== false)
          out.push(`${where}: missing in Strata's file (Keras: ${JSON.stringify(theirs[key])})`);
      } else out.push(...configDifferences(ours[key]!, theirs[key]!, where));
    }
    return out;
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    if (ours.length !== theirs.length) return [`${path}: ${ours.length} entries vs Keras's ${theirs.length}`];
    return ours.flatMap((item, i) => configDifferences(item, theirs[i]!, `${path}[${i}]`));
  }
  return Object.is(ours, theirs) || JSON.stringify(ours) === JSON.stringify(theirs)
    ? []
    : [`${path}: ${JSON.stringify(ours)} vs Keras's ${JSON.stringify(theirs)}`];
}

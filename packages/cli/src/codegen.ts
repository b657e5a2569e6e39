/**
 * `strata codegen`: Strata TypeScript that builds a model file's architecture (no weights).
 * Generic over layer classes: every layer is built with its class's `fromConfig` and the
 * file's config (camelCase, as Strata's loader passes it), so the generated model has the
 * same IR as the file. Sequential and functional models, nested models, shared layers,
 * several inputs and outputs, call keyword arguments (`training`, `mask`, `initial_state`,
 * tensors and values such as MultiHeadAttention's `attention_mask` / `use_causal_mask`), and
 * `keras.ops` nodes (built from Strata's op table with their constant arguments).
 *
 * @packageDocumentation
 */
import {
  POSITIONAL_TENSOR_KWARGS,
  callOrder,
  isKerasOpEntry,
  nodeIndexOffsets,
  type CallNode,
  type JsonValue,
  type LayerIR,
  type ModelIR,
  type TensorLayout,
  type TensorRef,
} from '@strata/graph';

/** Generated code could not express the model. */
export class CodegenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodegenError';
  }
}

/** `kernel_size` → `kernelSize` (keys starting with `_` or `$` are kept), as Strata's configs. */
function camelKey(key: string): string {
  if (key.startsWith('_') || key.startsWith('$')) return key;
  if (key === 'beta_1' || key === 'beta_2') return `beta${key.slice(-1)}`;
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A tensor slot of an op's arguments, as the generated code's `TENSOR` stands for it. */
const TENSOR_JSON: JsonValue = { class_name: '__keras_tensor__', config: {} };

/** Keys Keras writes for its own bookkeeping, which do not describe the layer. */
const BOOKKEEPING_KEYS = new Set(['shared_object_id']);

/**
 * A JSON value as a TypeScript literal, indented: keys camelCase (as Strata's runtime configs), or
 * kept as written with `keys: 'raw'` (op options and arguments, which Strata keeps snake_case).
 * With `tensorSlot`, Keras's `__keras_tensor__` argument objects become that expression.
 */
function literal(value: JsonValue, indent: string, keys: 'camel' | 'raw' = 'camel', tensorSlot?: string): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
  if (tensorSlot !== undefined && isKerasTensor(value)) return tensorSlot;
  const inner = `${indent}  `;
  const nested = (item: JsonValue): string => literal(item, inner, keys, tensorSlot);
  if (Array.isArray(value)) {
    if (
      value.every(
        (item) => item === null || typeof item !== 'object' || (tensorSlot !== undefined && isKerasTensor(item)),
      )
    )
      return `[${value.map(nested).join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${nested(item)}`).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([k]) => !BOOKKEEPING_KEYS.has(k));
  if (entries.length === 0) return '{}';
  const key = (k: string): string => {
    const name = keys === 'camel' ? camelKey(k) : k;
    return IDENTIFIER.test(name) ? name : JSON.stringify(name);
  };
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${nested(v)}`).join(',\n')},\n${indent}}`;
}

/** Whether a JSON value is Keras's `{"class_name": "__keras_tensor__", …}` (a symbolic tensor). */
function isKerasTensor(value: JsonValue | undefined): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && value['class_name'] === '__keras_tensor__'
  );
}

/** The `[layer, node, index]` a `__keras_tensor__` value refers to, or undefined for other values. */
function kerasTensorRef(value: JsonValue | undefined): TensorRef | undefined {
  if (!isKerasTensor(value)) return undefined;
  const config = (value as { config?: JsonValue })['config'];
  const history =
    typeof config === 'object' && config !== null && !Array.isArray(config) ? config['keras_history'] : undefined;
  if (!Array.isArray(history) || history.length !== 3) return undefined;
  return { layer: String(history[0]), node: Number(history[1]), index: Number(history[2]) };
}

/** A readable, unique TypeScript identifier for a name from the file. */
function identifierFactory(): (name: string) => string {
  const used = new Set<string>([
    'layers',
    'Input',
    'Model',
    'Sequential',
    'getLayerClass',
    'buildModel',
    'registered',
    'op',
    'TENSOR',
    'LayerClass',
    'InputLayerArgs',
  ]);
  return (name) => {
    let base = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(\d)/, '_$1');
    base = base.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) || 'layer';
    let candidate = base;
    for (let i = 2; used.has(candidate); i++) candidate = `${base}${i}`;
    used.add(candidate);
    return candidate;
  };
}

/** How a layer's class is reached: `layers.Dense` for Keras layers, the registry for the rest. */
function classExpression(layer: LayerIR): string {
  const builtIn = layer.module === undefined || layer.module === 'keras.layers';
  if (builtIn && IDENTIFIER.test(layer.className)) return `layers.${layer.className}`;
  const key = layer.registeredName ?? layer.className;
  return `registered(${JSON.stringify(key)})`;
}

interface Emitter {
  lines: string[];
  id: (name: string) => string;
  usesRegistry: boolean;
  /** Whether the code builds `keras.ops` nodes (and needs the `op` helper). */
  usesOps: boolean;
  /** Builder functions of nested models, shared by the whole generation. */
  functions: string[][];
}

function emitLayer(layer: LayerIR, emitter: Emitter, indent: string): string {
  const variable = emitter.id(layer.name);
  if (layer.model !== undefined) {
    emitter.lines.push(`${indent}const ${variable} = ${emitModelFunctionCall(layer.model, emitter)};`);
    return variable;
  }
  if (isKerasOpEntry(layer)) {
    // A keras.ops call: its options stay snake_case; its arguments are given at its (only) call.
    emitter.usesOps = true;
    const { name: _name, ...options } = layer.config;
    const node = layer.nodes[0];
    if (layer.nodes.length !== 1 || node === undefined)
      throw new CodegenError(
        `op "${layer.name}" (${layer.className}) has ${layer.nodes.length} calls; a keras.ops node has exactly one`,
      );
    // As the loader does: the file's positional arguments, or the tensors themselves (one list when the call took a list).
    const args: JsonValue =
      node.args ??
      (node.inputsAsList === true ? [node.inputs.map(() => TENSOR_JSON)] : node.inputs.map(() => TENSOR_JSON));
    const argsText = literal(args, indent, 'raw', 'TENSOR');
    emitter.lines.push(
      `${indent}const ${variable} = op(${JSON.stringify(layer.className)}, { name: ${JSON.stringify(layer.name)}, options: ${literal(options, indent, 'raw')}, args: ${argsText} });`,
    );
    return variable;
  }
  const expression = classExpression(layer);
  if (expression.startsWith('registered(')) emitter.usesRegistry = true;
  emitter.lines.push(
    `${indent}const ${variable} = ${expression}.fromConfig(${literal({ ...layer.config, name: layer.name }, indent)});`,
  );
  return variable;
}

/** Emits a builder function for a nested model and returns the expression calling it. */
function emitModelFunctionCall(model: ModelIR, outer: Emitter): string {
  const name = outer.id(`build_${model.name}`);
  const emitter: Emitter = { lines: [], id: outer.id, usesRegistry: false, usesOps: false, functions: outer.functions };
  emitModelBody(model, emitter, '  ');
  outer.usesRegistry ||= emitter.usesRegistry;
  outer.usesOps ||= emitter.usesOps;
  outer.functions.push([
    `/** Builds the nested ${model.className} "${model.name}". */`,
    `function ${name}(): Model {`,
    ...emitter.lines,
    '}',
    '',
  ]);
  return `${name}()`;
}

function inputExpression(layer: LayerIR, indent: string): string {
  // The file's InputLayer config also holds keys Strata keeps only for round trips (ragged, optional).
  return `Input(${literal({ ...layer.config, name: layer.name }, indent)} as InputLayerArgs)`;
}

function emitSequential(model: ModelIR, emitter: Emitter, indent: string): void {
  const members: string[] = [];
  for (const layer of model.layers) {
    if (layer.className === 'InputLayer') {
      const variable = emitter.id(layer.name);
      emitter.lines.push(`${indent}const ${variable} = ${inputExpression(layer, indent)};`);
      members.push(variable);
    } else {
      members.push(emitLayer(layer, emitter, indent));
    }
  }
  const options = literal(
    { name: model.name, ...(model.extraConfig?.['trainable'] === false ? { trainable: false } : {}) },
    indent,
  );
  emitter.lines.push(`${indent}return new Sequential([${members.join(', ')}], ${options});`);
}

/** The tensors a layout describes, as a TypeScript expression (a single tensor, a list or an object). */
function layoutExpression(refs: readonly string[], layout: TensorLayout | undefined): string {
  if (layout === undefined) return refs.length === 1 ? refs[0]! : `[${refs.join(', ')}]`;
  if (typeof layout === 'number') return refs[layout]!;
  if (Array.isArray(layout)) return `[${layout.map((item) => layoutExpression(refs, item)).join(', ')}]`;
  throw new CodegenError('models whose inputs or outputs are given as a dict are not supported by codegen yet');
}

function emitFunctional(model: ModelIR, emitter: Emitter, indent: string): void {
  const layerVariables = new Map<string, string>();
  for (const layer of model.layers)
    if (layer.className !== 'InputLayer') layerVariables.set(layer.name, emitLayer(layer, emitter, indent));
  const offsets = nodeIndexOffsets(model);
  const tensors = new Map<string, string>();
  const tensorKey = (ref: TensorRef): string => `${ref.layer}\u0000${ref.node}\u0000${ref.index}`;
  const tensorOf = (ref: TensorRef): string => {
    const found = tensors.get(tensorKey(ref));
    if (found === undefined)
      throw new CodegenError(
        `model "${model.name}": tensor [${ref.layer}, ${ref.node}, ${ref.index}] is used before it is made`,
      );
    return found;
  };
  for (const { layer, node, call } of callOrder(model)) {
    if (call === undefined) {
      if (layer.className !== 'InputLayer') continue;
      const variable = emitter.id(layer.name);
      emitter.lines.push(`${indent}const ${variable} = ${inputExpression(layer, indent)};`);
      tensors.set(tensorKey({ layer: layer.name, node: 0, index: 0 }), variable);
      continue;
    }
    emitCall(
      model,
      layer,
      node + (offsets.get(layer.name) ?? 0),
      call,
      layerVariables.get(layer.name)!,
      emitter,
      indent,
      tensors,
      tensorKey,
      tensorOf,
    );
  }
  const inputs = layoutExpression(model.inputs.map(tensorOf), model.layout?.inputs);
  const outputs = layoutExpression(model.outputs.map(tensorOf), model.layout?.outputs);
  emitter.lines.push(
    `${indent}return new Model({ inputs: ${inputs}, outputs: ${outputs}, name: ${JSON.stringify(model.name)} });`,
  );
}

function emitCall(
  model: ModelIR,
  layer: LayerIR,
  fileNode: number,
  call: CallNode,
  variable: string,
  emitter: Emitter,
  indent: string,
  tensors: Map<string, string>,
  tensorKey: (ref: TensorRef) => string,
  tensorOf: (ref: TensorRef) => string,
): void {
  const op = isKerasOpEntry(layer);
  // Op nodes carry their constant arguments on the op (see emitLayer); a layer's call has tensors only.
  if (call.args !== undefined && !op) {
    throw new CodegenError(
      `layer "${layer.name}" (${layer.className}) is called with non-tensor arguments, which codegen cannot express yet`,
    );
  }
  const args: string[] = [];
  const kwargs: string[] = [];
  const extraInputs: string[] = [];
  const kwargsOfCall = call.kwargs ?? {};
  // Tensors passed by the name of a positional argument (`mha(query=x, value=y)`) follow the positional ones, as the loader reads them.
  const positionalByName = new Set<string>();
  for (const name of (POSITIONAL_TENSOR_KWARGS[layer.className] ?? []).slice(call.inputs.length)) {
    const ref = kerasTensorRef(kwargsOfCall[name]);
    if (ref === undefined) break;
    extraInputs.push(tensorOf(ref));
    positionalByName.add(name);
  }
  for (const [key, value] of Object.entries(kwargsOfCall)) {
    if (value === null || positionalByName.has(key)) continue;
    if (key === 'training' && typeof value === 'boolean') args.push(`training: ${value}`);
    else if (key === 'mask' && kerasTensorRef(value) !== undefined)
      args.push(`mask: ${tensorOf(kerasTensorRef(value)!)}`);
    else if (key === 'initial_state') {
      const list = Array.isArray(value) ? value : [value];
      const refs = list.map((item) => {
        const ref = kerasTensorRef(item);
        if (ref === undefined) throw new CodegenError(`layer "${layer.name}": initial_state is not a tensor reference`);
        return tensorOf(ref);
      });
      args.push(`initialState: [${refs.join(', ')}]`);
    } else if (op) {
      throw new CodegenError(
        `op "${layer.name}" (${layer.className}) is called with keyword argument "${key}", which codegen cannot express yet`,
      );
    } else if (kerasTensorRef(value) !== undefined) {
      kwargs.push(`${camelKey(key)}: ${tensorOf(kerasTensorRef(value)!)}`);
    } else if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
      kwargs.push(`${camelKey(key)}: ${literal(value, indent)}`);
    } else {
      throw new CodegenError(
        `layer "${layer.name}" (${layer.className}) is called with keyword argument "${key}" = ${JSON.stringify(value).slice(0, 80)}, which codegen cannot express yet`,
      );
    }
  }
  if (kwargs.length > 0) args.push(`kwargs: { ${kwargs.join(', ')} }`);
  const inputs = [...call.inputs.map(tensorOf), ...extraInputs];
  const inputExpressionText = call.inputsAsList === true || inputs.length > 1 ? `[${inputs.join(', ')}]` : inputs[0]!;
  const argsText = args.length > 0 ? `, { ${args.join(', ')} }` : '';
  const outputs = emitter.id(`${layer.name}_out${fileNode === 0 ? '' : fileNode}`);
  emitter.lines.push(`${indent}const ${outputs} = ${variable}.applyMulti(${inputExpressionText}${argsText});`);
  // Every output of the call, as the file refers to them.
  const used = new Set<number>();
  for (const other of model.layers)
    for (const node of other.nodes)
      for (const ref of node.inputs) if (ref.layer === layer.name && ref.node === fileNode) used.add(ref.index);
  for (const other of model.layers) {
    for (const node of other.nodes) {
      for (const value of Object.values(node.kwargs ?? {})) {
        for (const item of Array.isArray(value) ? value : [value]) {
          const ref = kerasTensorRef(item);
          if (ref !== undefined && ref.layer === layer.name && ref.node === fileNode) used.add(ref.index);
        }
      }
    }
  }
  for (const ref of model.outputs) if (ref.layer === layer.name && ref.node === fileNode) used.add(ref.index);
  for (const index of [...used].sort((a, b) => a - b))
    tensors.set(tensorKey({ layer: layer.name, node: fileNode, index }), `${outputs}[${index}]!`);
}

function emitModelBody(model: ModelIR, emitter: Emitter, indent: string): void {
  if (model.className === 'Sequential') emitSequential(model, emitter, indent);
  else emitFunctional(model, emitter, indent);
}

/**
 * Strata TypeScript that builds `model` (its architecture; weights are not included): a module
 * exporting `buildModel()`.
 *
 * @param source - where the model came from, for the header comment
 * @throws CodegenError when the model uses a feature the generated code cannot express
 */
export function generateModelCode(model: ModelIR, source: string): string {
  const emitter: Emitter = { lines: [], id: identifierFactory(), usesRegistry: false, usesOps: false, functions: [] };
  emitModelBody(model, emitter, '  ');
  const body = [
    ...emitter.functions.flat(),
    ...emitter.lines,
    model.className === 'Sequential' ? 'Sequential' : 'Model',
  ].join('\n');
  const uses = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(body);
  const imports = [
    ...['Input', 'Model', 'Sequential', 'layers'].filter(
      (name) => uses(name) || (name === 'layers' && emitter.usesOps),
    ),
    ...(uses('InputLayerArgs') ? ['type InputLayerArgs'] : []),
    ...(emitter.usesRegistry ? ['getLayerClass', 'type LayerClass'] : []),
  ];
  const registry = emitter.usesRegistry
    ? [
        '/** A registered class that is not in `layers` (custom layers, operations). */',
        'function registered(name: string): LayerClass {',
        '  const cls = getLayerClass(name);',
        '  if (cls === undefined) throw new Error(`class ${name} is not registered`);',
        '  return cls;',
        '}',
        '',
      ]
    : [];
  const ops = emitter.usesOps
    ? [
        "/** One `keras.ops` call of the model, from Strata's fixed op table (options and arguments as Keras writes them). */",
        'function op(className: string, args: layers.OpLayerArgs): layers.OpLayer {',
        '  const cls = layers.opLayerClass(className);',
        '  if (cls === undefined) throw new Error(`keras.ops class ${className} is not computed by Strata`);',
        '  return new cls(args);',
        '}',
        '',
        "/** Where a tensor goes among an op's arguments (filled, in order, by the tensors the op is applied to). */",
        "const TENSOR = { class_name: '__keras_tensor__', config: {} };",
        '',
      ]
    : [];
  return [
    `// Generated by \`strata codegen\` from ${source}.`,
    '// Builds the architecture only; load the weights with loadModel / loadModelWeights.',
    `import { ${imports.join(', ')} } from '@strata/core';`,
    '',
    ...registry,
    ...ops,
    ...emitter.functions.flat(),
    `/** Builds the ${model.className} "${model.name}". */`,
    `export function buildModel(): ${model.className === 'Sequential' ? 'Sequential' : 'Model'} {`,
    ...emitter.lines,
    '}',
    '',
  ].join('\n');
}

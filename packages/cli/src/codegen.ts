/**
 * `strata codegen`: Strata TypeScript that builds a model file's architecture (no weights).
 * Generic over layer classes: every layer is built with its class's `fromConfig` and the
 * file's config (camelCase, as Strata's loader passes it), so the generated model has the
 * same IR as the file. Sequential and functional models, nested models, shared layers,
 * several inputs and outputs, call keyword arguments (`training`, `initial_state`).
 *
 * @packageDocumentation
 */
import { callOrder, nodeIndexOffsets, type CallNode, type JsonValue, type LayerIR, type ModelIR, type TensorLayout, type TensorRef } from '@strata/graph';

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

/** Keys Keras writes for its own bookkeeping, which do not describe the layer. */
const BOOKKEEPING_KEYS = new Set(['shared_object_id']);

/** A JSON value as a TypeScript literal with camelCase keys, indented. */
function literal(value: JsonValue, indent: string): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) return `[${value.map((item) => literal(item, inner)).join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${literal(item, inner)}`).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([k]) => !BOOKKEEPING_KEYS.has(k));
  if (entries.length === 0) return '{}';
  const key = (k: string): string => {
    const camel = camelKey(k);
    return IDENTIFIER.test(camel) ? camel : JSON.stringify(camel);
  };
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)}`).join(',\n')},\n${indent}}`;
}

/** A readable, unique TypeScript identifier for a name from the file. */
function identifierFactory(): (name: string) => string {
  const used = new Set<string>(['layers', 'Input', 'Model', 'Sequential', 'getLayerClass', 'buildModel']);
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
  /** Builder functions of nested models, shared by the whole generation. */
  functions: string[][];
}

function emitLayer(layer: LayerIR, emitter: Emitter, indent: string): string {
  const variable = emitter.id(layer.name);
  if (layer.model !== undefined) {
    emitter.lines.push(`${indent}const ${variable} = ${emitModelFunctionCall(layer.model, emitter)};`);
    return variable;
  }
  const expression = classExpression(layer);
  if (expression.startsWith('registered(')) emitter.usesRegistry = true;
  emitter.lines.push(`${indent}const ${variable} = ${expression}.fromConfig(${literal({ ...layer.config, name: layer.name }, indent)});`);
  return variable;
}

/** Emits a builder function for a nested model and returns the expression calling it. */
function emitModelFunctionCall(model: ModelIR, outer: Emitter): string {
  const name = outer.id(`build_${model.name}`);
  const emitter: Emitter = { lines: [], id: outer.id, usesRegistry: false, functions: outer.functions };
  emitModelBody(model, emitter, '  ');
  outer.usesRegistry ||= emitter.usesRegistry;
  outer.functions.push([`/** Builds the nested ${model.className} "${model.name}". */`, `function ${name}(): Model {`, ...emitter.lines, '}', '']);
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
  const options = literal({ name: model.name, ...(model.extraConfig?.['trainable'] === false ? { trainable: false } : {}) }, indent);
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
  for (const layer of model.layers) if (layer.className !== 'InputLayer') layerVariables.set(layer.name, emitLayer(layer, emitter, indent));
  const offsets = nodeIndexOffsets(model);
  const tensors = new Map<string, string>();
  const tensorKey = (ref: TensorRef): string => `${ref.layer}\u0000${ref.node}\u0000${ref.index}`;
  const tensorOf = (ref: TensorRef): string => {
    const found = tensors.get(tensorKey(ref));
    if (found === undefined) throw new CodegenError(`model "${model.name}": tensor [${ref.layer}, ${ref.node}, ${ref.index}] is used before it is made`);
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
    emitCall(model, layer, node + (offsets.get(layer.name) ?? 0), call, layerVariables.get(layer.name)!, emitter, indent, tensors, tensorKey, tensorOf);
  }
  const inputs = layoutExpression(model.inputs.map(tensorOf), model.layout?.inputs);
  const outputs = layoutExpression(model.outputs.map(tensorOf), model.layout?.outputs);
  emitter.lines.push(`${indent}return new Model({ inputs: ${inputs}, outputs: ${outputs}, name: ${JSON.stringify(model.name)} });`);
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
  if (call.args !== undefined) {
    throw new CodegenError(`layer "${layer.name}" (${layer.className}) is called with non-tensor arguments, which codegen cannot express yet`);
  }
  const args: string[] = [];
  for (const [key, value] of Object.entries(call.kwargs ?? {})) {
    if (value === null) continue;
    if (key === 'training' && typeof value === 'boolean') args.push(`training: ${value}`);
    else if (key === 'initial_state') {
      const list = Array.isArray(value) ? value : [value];
      const refs = list.map((item) => {
        const config = typeof item === 'object' && item !== null && !Array.isArray(item) ? item['config'] : undefined;
        const history = typeof config === 'object' && config !== null && !Array.isArray(config) ? config['keras_history'] : undefined;
        if (!Array.isArray(history)) throw new CodegenError(`layer "${layer.name}": initial_state is not a tensor reference`);
        return tensorOf({ layer: String(history[0]), node: Number(history[1]), index: Number(history[2]) });
      });
      args.push(`initialState: [${refs.join(', ')}]`);
    } else {
      throw new CodegenError(`layer "${layer.name}" (${layer.className}) is called with keyword argument "${key}", which codegen cannot express yet`);
    }
  }
  const inputs = call.inputs.map(tensorOf);
  const inputExpressionText = call.inputsAsList === true || inputs.length > 1 ? `[${inputs.join(', ')}]` : inputs[0]!;
  const argsText = args.length > 0 ? `, { ${args.join(', ')} }` : '';
  const outputs = emitter.id(`${layer.name}_out${fileNode === 0 ? '' : fileNode}`);
  emitter.lines.push(`${indent}const ${outputs} = ${variable}.applyMulti(${inputExpressionText}${argsText});`);
  // Every output of the call, as the file refers to them.
  const used = new Set<number>();
  for (const other of model.layers) for (const node of other.nodes) for (const ref of node.inputs) if (ref.layer === layer.name && ref.node === fileNode) used.add(ref.index);
  for (const other of model.layers) {
    for (const node of other.nodes) {
      for (const value of Object.values(node.kwargs ?? {})) {
        for (const item of Array.isArray(value) ? value : [value]) {
          const history = typeof item === 'object' && item !== null && !Array.isArray(item) && typeof item['config'] === 'object' && item['config'] !== null && !Array.isArray(item['config']) ? item['config']['keras_history'] : undefined;
          if (Array.isArray(history) && history[0] === layer.name && history[1] === fileNode) used.add(Number(history[2]));
        }
      }
    }
  }
  for (const ref of model.outputs) if (ref.layer === layer.name && ref.node === fileNode) used.add(ref.index);
  for (const index of [...used].sort((a, b) => a - b)) tensors.set(tensorKey({ layer: layer.name, node: fileNode, index }), `${outputs}[${index}]!`);
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
  const emitter: Emitter = { lines: [], id: identifierFactory(), usesRegistry: false, functions: [] };
  emitModelBody(model, emitter, '  ');
  const body = [...emitter.functions.flat(), ...emitter.lines, model.className === 'Sequential' ? 'Sequential' : 'Model'].join('\n');
  const uses = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(body);
  const imports = [
    ...['Input', 'Model', 'Sequential', 'layers'].filter(uses),
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
  return [
    `// Generated by \`strata codegen\` from ${source}.`,
    '// Builds the architecture only; load the weights with loadModel / loadModelWeights.',
    `import { ${imports.join(', ')} } from '@strata/core';`,
    '',
    ...registry,
    ...emitter.functions.flat(),
    `/** Builds the ${model.className} "${model.name}". */`,
    `export function buildModel(): ${model.className === 'Sequential' ? 'Sequential' : 'Model'} {`,
    ...emitter.lines,
    '}',
    '',
  ].join('\n');
}

/**
 * `@strata/graph`: the Strata model IR, shape inference and the codecs between the IR
 * and Keras 3 `config.json`, Keras 2 JSON and TF.js `model.json` topologies.
 * Pure TypeScript: nothing here loads TensorFlow.js.
 *
 * @packageDocumentation
 */
export * from './ir.js';
export * from './naming.js';
export * from './suggest.js';
export * from './safety/index.js';
export * from './files/index.js';
export * from './codecs/index.js';
export * from './shapes/index.js';
export * from './layer-facts/index.js';
export {
  layerByName,
  producersOf,
  consumersOf,
  callInputs,
  callOrder,
  topologicalOrder,
  walkLayers,
  nodeIndexOffsets,
  callIndexOf,
  type Producer,
  type Consumer,
  type CallStep,
  type WalkedLayer,
} from './walk.js';
export * from './summary-table.js';
export { checkModelGraph } from './graph-check.js';
export * from './plot/index.js';

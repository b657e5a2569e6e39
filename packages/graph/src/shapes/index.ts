/** Keras 3 shape inference for layers and whole models. */
export { ShapeError, UnknownLayerError, formatShape } from './errors.js';
export { inferLayerOutputShapes, hasShapeRule, shapeRuleClassNames } from './infer.js';
export { inferModelShapes, analyzeModelShapes, type ModelShapeAnalysis } from './model.js';
export { convOutputLength, convTransposeOutputLength } from './convolutional.js';
export { poolOutputLength } from './pooling.js';
export {
  KERAS_OP_MODULES,
  isKerasOpModule,
  isKerasOpEntry,
  isOpTensor,
  broadcastShapes,
  inferOpOutputShape,
  inferOpOutputDtype,
  opOperandsOf,
  type OpOperand,
  type OpTensor,
} from './keras-ops.js';
export { getItemSteps, getItemShape, type GetItemStep } from './keras-getitem.js';
export { multiHeadAttentionAxes, POSITIONAL_TENSOR_KWARGS } from './attention.js';

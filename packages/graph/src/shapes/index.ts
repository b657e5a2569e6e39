/** Keras 3 shape inference for layers and whole models. */
export { ShapeError, UnknownLayerError, formatShape } from './errors.js';
export { inferLayerOutputShapes, hasShapeRule, shapeRuleClassNames } from './infer.js';
export { inferModelShapes, analyzeModelShapes, type ModelShapeAnalysis } from './model.js';
export { convOutputLength, convTransposeOutputLength } from './convolutional.js';
export { poolOutputLength } from './pooling.js';
export { multiHeadAttentionAxes } from './attention.js';

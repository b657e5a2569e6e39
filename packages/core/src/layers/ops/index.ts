/** `keras.ops` calls recorded in functional models (see op-layer.ts). */
export * from './op-layer.js';
export { OP_KERNELS, type OpKernel, type OpCallInfo, type RuntimeOperand } from './op-kernels.js';

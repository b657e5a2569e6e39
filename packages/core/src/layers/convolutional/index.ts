// Convolution layers (Keras `keras.layers` convolutional group), one file per layer.
export { BaseConv, type BaseConvArgs, type ConvPadding, type DataFormat, type IntOrTuple } from './base-conv.js';
export { ConvND, type ConvArgs } from './conv-nd.js';
export { Conv1D, type Conv1DArgs } from './conv1d.js';
export { Conv2D, type Conv2DArgs } from './conv2d.js';
export { Conv3D, type Conv3DArgs } from './conv3d.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';

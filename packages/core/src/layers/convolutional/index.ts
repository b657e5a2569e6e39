// Convolution layers (Keras `keras.layers` convolutional group), one file per layer.
export { BaseConv, type BaseConvArgs, type ConvPadding, type DataFormat, type IntOrTuple } from './base-conv.js';
export { ConvND, type ConvArgs } from './conv-nd.js';
export { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';
export { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';
export { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';
export { Conv1D, type Conv1DArgs } from './conv1d.js';
export { Conv2D, type Conv2DArgs } from './conv2d.js';
export { Conv3D, type Conv3DArgs } from './conv3d.js';
export { Conv1DTranspose, type Conv1DTransposeArgs } from './conv1d-transpose.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
export { Conv3DTranspose, type Conv3DTransposeArgs } from './conv3d-transpose.js';
export { DepthwiseConv1D, type DepthwiseConv1DArgs } from './depthwise-conv1d.js';
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
export { SeparableConv1D, type SeparableConv1DArgs } from './separable-conv1d.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';

// Pooling layers (Keras `keras.layers` pooling group), one file per layer.
export { BasePooling, type PoolingArgs } from './base-pooling.js';
export { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
export { MaxPooling1D, type MaxPooling1DArgs } from './max-pooling1d.js';
export { MaxPooling2D, type MaxPooling2DArgs } from './max-pooling2d.js';
export { MaxPooling3D, type MaxPooling3DArgs } from './max-pooling3d.js';
export { AveragePooling1D, type AveragePooling1DArgs } from './average-pooling1d.js';
export { AveragePooling2D, type AveragePooling2DArgs } from './average-pooling2d.js';
export { AveragePooling3D, type AveragePooling3DArgs } from './average-pooling3d.js';
export { GlobalAveragePooling1D, type GlobalAveragePooling1DArgs } from './global-average-pooling1d.js';
export { GlobalAveragePooling2D, type GlobalAveragePooling2DArgs } from './global-average-pooling2d.js';
export { GlobalMaxPooling1D, type GlobalMaxPooling1DArgs } from './global-max-pooling1d.js';
export { GlobalMaxPooling2D, type GlobalMaxPooling2DArgs } from './global-max-pooling2d.js';
export { GlobalAveragePooling3D, type GlobalAveragePooling3DArgs } from './global-average-pooling3d.js';
export { GlobalMaxPooling3D, type GlobalMaxPooling3DArgs } from './global-max-pooling3d.js';

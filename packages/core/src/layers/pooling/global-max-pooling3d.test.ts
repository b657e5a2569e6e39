import { GlobalMaxPooling3D } from './global-max-pooling3d.js';
import { describeGlobalPoolingLayer } from './global-pooling.test-suite.js';

describeGlobalPoolingLayer({
  layer: GlobalMaxPooling3D,
  mode: 'max',
  inputShape: [2, 3, 4, 2, 3],
  toChannelsFirst: [0, 4, 1, 2, 3],
  keptShape: [2, 1, 1, 1, 3],
  keptFirstShape: [2, 3, 1, 1, 1],
});

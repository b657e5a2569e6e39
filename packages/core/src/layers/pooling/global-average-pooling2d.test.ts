import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { describeGlobalPoolingLayer } from './global-pooling.test-suite.js';

describeGlobalPoolingLayer({
  layer: GlobalAveragePooling2D,
  mode: 'average',
  inputShape: [2, 4, 5, 3],
  toChannelsFirst: [0, 3, 1, 2],
  keptShape: [2, 1, 1, 3],
  keptFirstShape: [2, 3, 1, 1],
});

import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { describeGlobalPoolingLayer } from './global-pooling.test-suite.js';

describeGlobalPoolingLayer({
  layer: GlobalMaxPooling1D,
  mode: 'max',
  inputShape: [2, 5, 3],
  toChannelsFirst: [0, 2, 1],
  keptShape: [2, 1, 3],
  keptFirstShape: [2, 3, 1],
});

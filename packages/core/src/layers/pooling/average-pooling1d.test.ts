import { AveragePooling1D } from './average-pooling1d.js';
import { describePoolingLayer } from './pooling.test-suite.js';

describePoolingLayer({
  layer: AveragePooling1D,
  fixtureKey: 'average_pooling1d',
  rank: 1,
  channelsLast: { input: [10, 4], output: [null, 5, 4] },
  channelsFirst: { input: [4, 10], output: [null, 4, 5] },
  wrongPoolSize: [2, 2],
});

import { AveragePooling2D } from './average-pooling2d.js';
import { describePoolingLayer } from './pooling.test-suite.js';

describePoolingLayer({
  layer: AveragePooling2D,
  fixtureKey: 'average_pooling2d',
  rank: 2,
  channelsLast: { input: [6, 7, 4], output: [null, 3, 3, 4] },
  channelsFirst: { input: [4, 6, 7], output: [null, 4, 3, 3] },
  wrongPoolSize: [2, 2, 2],
});

import { MaxPooling3D } from './max-pooling3d.js';
import { describePoolingLayer } from './pooling.test-suite.js';

describePoolingLayer({
  layer: MaxPooling3D,
  fixtureKey: 'max_pooling3d',
  rank: 3,
  channelsLast: { input: [6, 7, 5, 4], output: [null, 3, 3, 2, 4] },
  channelsFirst: { input: [4, 6, 7, 5], output: [null, 4, 3, 3, 2] },
  wrongPoolSize: [2, 2],
});

/** The classic Keras "mnist_mlp": Dense/Dropout layers, compiled with RMSprop as there. */
import { Input, Sequential, layers } from '@strata/core';

/** Number of digit classes. */
export const NUM_CLASSES = 10;

/** Dense(512) → Dropout(0.2) → Dense(512) → Dropout(0.2) → Dense softmax on flattened 28×28 digits. */
export function buildMlp(): Sequential {
  const model = new Sequential([
    Input([784]),
    new layers.Dense(512, { activation: 'relu' }),
    new layers.Dropout(0.2),
    new layers.Dense(512, { activation: 'relu' }),
    new layers.Dropout(0.2),
    new layers.Dense(NUM_CLASSES, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'rmsprop', metrics: ['accuracy'] });
  return model;
}

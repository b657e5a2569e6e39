/** The model of Keras's "Simple MNIST convnet" (keras.io/examples/vision/mnist_convnet), compiled as there. */
import { Input, Sequential, layers } from '@strata/core';

/** Number of digit classes. */
export const NUM_CLASSES = 10;

/** Conv2D(32) → MaxPooling2D → Conv2D(64) → MaxPooling2D → Flatten → Dropout(0.5) → Dense softmax. */
export function buildConvnet(): Sequential {
  const model = new Sequential([
    Input([28, 28, 1]),
    new layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Flatten(),
    new layers.Dropout(0.5),
    new layers.Dense(NUM_CLASSES, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return model;
}

/** Keras 3 callbacks (`keras.callbacks`) and the progress bar. */
export * from './callback.js';
export * from './history.js';
export * from './progbar.js';
export * from './progbar-logger.js';
export * from './monitor.js';
export * from './early-stopping.js';
export * from './reduce-lr-on-plateau.js';
export * from './model-checkpoint.js';
export * from './simple.js';
export * from './csv-logger.js';
export * from './gradient-monitor.js';
export * from './tensorboard/tensorboard.js';

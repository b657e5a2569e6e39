// Recurrent layers, cells and wrappers, one file per layer.
export * from './bidirectional.js';
export * from './cell-options.js';
export * from './gru.js';
export * from './gru-cell.js';
export * from './lstm.js';
export * from './lstm-cell.js';
export * from './rnn.js';
export * from './rnn-cell.js';
export * from './simple-rnn.js';
export * from './simple-rnn-cell.js';
export * from './stacked-rnn-cells.js';
export * from './time-distributed.js';
export * from './dropout-masks.js';
export * from './keras-cell.js';

/**
 * Strata's own fused kernels (whole-sequence recurrent layers, per-step LSTM gates, optimizer
 * updates, a convolution with its bias and relu, a relu's gradient), registered for the wasm and
 * cpu backends only: on the native `tensorflow` backend the layers and optimizers keep TF.js's
 * stock kernels, so Strata never shadows a faster native one.
 */
import { registerConv2DBiasRelu } from './conv2d-bias-relu.js';
import { registerReluGrad } from './relu-grad.js';
import { registerGRUSequence } from './gru-sequence.js';
import { registerFusedLSTMGates } from './lstm-gates.js';
import { registerLSTMSequence } from './lstm-sequence.js';
import { registerFusedOptimizerUpdates } from './optimizer-updates.js';
import { registerSimpleRNNSequence } from './simple-rnn-sequence.js';

/** Registers every fused kernel and its gradient for `backendName` (idempotent). */
export function registerFusedKernels(backendName: 'wasm' | 'cpu'): void {
  registerFusedLSTMGates(backendName);
  registerLSTMSequence(backendName);
  registerGRUSequence(backendName);
  registerSimpleRNNSequence(backendName);
  registerFusedOptimizerUpdates(backendName);
  registerConv2DBiasRelu(backendName);
  registerReluGrad(backendName);
}

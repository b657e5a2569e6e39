import type { Rule } from '../types.js';
import { activationName, numberConfig } from '../layer-kinds.js';
import { describe, viewOf } from '../rule-util.js';

/** LSTM/GRU configs that rule out the fused cuDNN kernel. */
export const rnnCudnnIneligible: Rule = {
  id: 'rnn-cudnn-ineligible',
  category: 'perf',
  recommended: 'info',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary:
      'An LSTM/GRU whose config prevents the fused cuDNN kernel (recurrent_dropout > 0, non-default activations, unroll, no bias, GRU reset_after=false, use_cudnn=false).',
    why: 'The Keras LSTM/GRU docs list the cuDNN criteria; TensorFlow maintainers confirm "recurrent dropout is not implemented in the Nvidia\'s cudnn kernel" (tensorflow/tensorflow#40944). The generic kernel is several times slower on GPU.',
    howToFix:
      'Keep recurrent_dropout for its regularisation (Gal & Ghahramani 2016; Semeniuta et al. 2016) or remove it for speed; weight-dropped LSTMs (Merity et al., ICLR 2018) get both but need a custom layer.',
    falsePositives: 'CPU/TPU-only training, and deliberate recurrent dropout.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'LSTM' && layer.className !== 'GRU') continue;
      const c = layer.config;
      const reasons: string[] = [];
      if ((numberConfig(layer, 'recurrent_dropout') ?? 0) > 0)
        reasons.push(`recurrent_dropout=${c['recurrent_dropout']}`);
      const activation = activationName(c['activation']);
      if (activation !== undefined && activation !== 'tanh') reasons.push(`activation=${activation}`);
      const recurrent = activationName(c['recurrent_activation']);
      if (recurrent !== undefined && recurrent !== 'sigmoid') reasons.push(`recurrent_activation=${recurrent}`);
      if (c['unroll'] === true) reasons.push('unroll=true');
      if (c['use_bias'] === false) reasons.push('use_bias=false');
      if (layer.className === 'GRU' && c['reset_after'] === false) reasons.push('reset_after=false');
      if (c['use_cudnn'] === false) reasons.push('use_cudnn=false');
      if (reasons.length === 0) continue;
      context.report({
        layer,
        message: `${describe(layer)} cannot use the cuDNN kernel (${reasons.join(', ')}).`,
        hint: 'Trade off: keep these settings for regularisation/behaviour, or restore the defaults for the fast GPU kernel.',
      });
    }
  },
};

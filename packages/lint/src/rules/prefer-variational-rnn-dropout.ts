import type { Rule } from '../types.js';
import { isRecurrent, noiseShape } from '../layer-kinds.js';
import { describe, viewOf } from '../rule-util.js';

/** Per-timestep Dropout between recurrent layers. */
export const preferVariationalRnnDropout: Rule = {
  id: 'prefer-variational-rnn-dropout',
  category: 'dropout',
  recommended: 'off',
  strict: 'info',
  defaultSeverity: 'info',
  defaultOptions: {},
  docs: {
    summary:
      'A plain Dropout (no noise_shape) on a sequence from an RNN (return_sequences) or Embedding that feeds another RNN.',
    why: 'Gal & Ghahramani (NeurIPS 2016) use the same dropout mask at every time step (variational dropout); Keras RNN dropout= already samples one mask and broadcasts it over time. Zaremba et al. (arXiv 1409.2329) endorse per-step dropout on non-recurrent connections, so this is a preference, not a bug.',
    howToFix: "Use the next RNN's dropout= argument, Dropout(noise_shape=(None, 1, features)) or SpatialDropout1D.",
    falsePositives: 'Zaremba-style stacked LSTMs with per-step dropout are a valid published design.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'Dropout' || noiseShape(layer)) continue;
      const producer = view.producers(layer)[0];
      const sequence =
        producer &&
        ((isRecurrent(producer) && producer.config['return_sequences'] === true) || producer.className === 'Embedding');
      const rnnConsumer = view.consumers(layer).find(isRecurrent);
      if (!sequence || !rnnConsumer) continue;
      context.report({
        layer,
        message: `${describe(layer)} samples a new mask at every time step between ${describe(producer!)} and ${describe(rnnConsumer)}.`,
        hint: `Use dropout= on '${rnnConsumer.name}', Dropout(noise_shape=(None, 1, features)) or SpatialDropout1D for one mask per sequence.`,
      });
    }
  },
};

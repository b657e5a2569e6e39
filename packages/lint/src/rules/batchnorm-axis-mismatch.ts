import type { Rule } from '../types.js';
import { convRank, dataFormat, isBatchNorm, poolingRank } from '../layer-kinds.js';
import { inputRank } from '../rank.js';
import { describe, upstreamDataFormatLayer, viewOf } from '../rule-util.js';

/** BatchNormalization normalising over a non-channel axis of a conv map. */
export const batchnormAxisMismatch: Rule = {
  id: 'batchnorm-axis-mismatch',
  category: 'normalization',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary: 'BatchNormalization axis is not the channel axis of the conv map feeding it.',
    why: 'The Keras BatchNormalization docstring: axis "should be the features axis", e.g. axis=1 after a Conv2D with data_format="channels_first" (Ioffe & Szegedy, ICML 2015 normalise per feature map for convolutions).',
    howToFix: 'Use axis=1 after channels_first convs and axis=-1 after channels_last convs.',
    falsePositives:
      'Deliberate normalisation over another axis is very rare; the rule is silent when no conv/pooling data_format is found upstream.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (!isBatchNorm(layer)) continue;
      const source = upstreamDataFormatLayer(view, layer);
      const format = source ? dataFormat(source) : undefined;
      if (!source || !format) continue;
      let axis = layer.config['axis'];
      if (Array.isArray(axis) && axis.length === 1) axis = axis[0]!;
      if (typeof axis !== 'number') continue;
      const rank = inputRank(view, context.shapes, layer) ?? (convRank(source) ?? poolingRank(source) ?? 0) + 2;
      if (rank < 3) continue;
      const normalized = axis < 0 ? axis + rank : axis;
      const expected = format === 'channels_first' ? 1 : rank - 1;
      if (normalized === expected) continue;
      context.report({
        layer,
        message: `${describe(layer)} normalises axis ${axis} but ${describe(source)} is '${format}', whose channel axis is ${format === 'channels_first' ? 1 : -1}.`,
        hint: `Set axis=${format === 'channels_first' ? 1 : -1} on '${layer.name}'.`,
      });
    }
  },
};

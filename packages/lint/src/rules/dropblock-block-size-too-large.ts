import type { Rule } from '../types.js';
import { dataFormat } from '../layer-kinds.js';
import { knownInputShape } from '../rank.js';
import { describe, upstreamDataFormatLayer, viewOf } from '../rule-util.js';

/** DropBlock2D block_size at least the feature-map size. */
export const dropblockBlockSizeTooLarge: Rule = {
  id: 'dropblock-block-size-too-large',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  defaultOptions: {},
  docs: {
    summary: 'DropBlock2D block_size is not smaller than the height or width of its input feature map.',
    why: 'The keras_cv DropBlock2D docs warn that a block_size at least as large as the feature map gives NaNs; DropBlock (Ghiasi et al., NeurIPS 2018) samples block centres only where a whole block fits.',
    howToFix:
      'Use a block_size smaller than the map (the paper uses 7 on ResNet stages 3-4), or move DropBlock2D to an earlier, larger map.',
    falsePositives: 'Needs known spatial sizes; silent when shapes are unknown.',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      if (layer.className !== 'DropBlock2D') continue;
      const raw = layer.config['block_size'];
      const sizes =
        typeof raw === 'number'
          ? [raw, raw]
          : Array.isArray(raw)
            ? raw.map((v) => (typeof v === 'number' ? v : NaN))
            : [];
      if (sizes.length !== 2) continue;
      const shape = knownInputShape(view, context.shapes, layer);
      if (!shape || shape.length !== 4) continue;
      const source = upstreamDataFormatLayer(view, layer);
      const format = dataFormat(layer) ?? (source ? dataFormat(source) : undefined) ?? 'channels_last';
      const [h, w] = format === 'channels_first' ? [shape[2], shape[3]] : [shape[1], shape[2]];
      const tooBig = (typeof h === 'number' && sizes[0]! >= h) || (typeof w === 'number' && sizes[1]! >= w);
      if (!tooBig) continue;
      context.report({
        layer,
        message: `${describe(layer)} has block_size ${JSON.stringify(raw)} but its input map is ${h}×${w}.`,
        hint: `Use a block_size smaller than ${Math.min(...[h, w].filter((v): v is number => typeof v === 'number'))}.`,
      });
    }
  },
};

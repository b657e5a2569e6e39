import type { LayerIR } from '@strata/graph';
import type { Fix, Rule } from '../types.js';
import { dataFormat, spatialDropoutRank } from '../layer-kinds.js';
import { findLayer } from '../ir-edit.js';
import { describe, upstreamDataFormatLayer, viewOf } from '../rule-util.js';

function setFormatFix(path: string[], layer: LayerIR, format: string): Fix {
  return {
    kind: 'unsafe',
    description: `set data_format of '${layer.name}' to '${format}'`,
    apply(model) {
      const found = findLayer(model, path, layer.name);
      if (found) found.layer.config['data_format'] = format;
    },
  };
}

/** SpatialDropout2D/3D laid out differently from the conv that feeds it. */
export const spatialDropoutDataFormatMismatch: Rule = {
  id: 'spatial-dropout-data-format-mismatch',
  category: 'correctness',
  recommended: 'error',
  strict: 'error',
  defaultSeverity: 'error',
  fixable: 'unsafe',
  defaultOptions: {},
  docs: {
    summary: 'SpatialDropout2D/3D data_format differs from the data_format of the conv/pooling layer feeding it.',
    why: 'SpatialDropout drops whole channels along the axis its data_format names (Keras SpatialDropout2D docs: channels at index 1 for channels_first, 3 for channels_last); with the wrong format it drops rows instead of feature maps.',
    howToFix: "Set the SpatialDropout's data_format to the conv's.",
    falsePositives: 'Skipped when either format is null (the global image_data_format applies to both).',
  },
  check(context) {
    const view = viewOf(context.model);
    for (const layer of view.order) {
      const n = spatialDropoutRank(layer);
      const own = dataFormat(layer);
      if (n === undefined || n < 2 || !own) continue;
      const source = upstreamDataFormatLayer(view, layer);
      const theirs = source ? dataFormat(source) : undefined;
      if (!source || !theirs || theirs === own) continue;
      context.report({
        layer,
        message: `${describe(layer)} uses data_format '${own}' but ${describe(source)} produces '${theirs}' maps; it would drop the wrong axis.`,
        hint: `Set data_format='${theirs}' on '${layer.name}'.`,
        fix: setFormatFix(context.path, layer, theirs),
      });
    }
  },
};

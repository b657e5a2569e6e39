import type { LayerIR } from '@strata/graph';
import type { Fix, Rule } from '../types.js';
import { convRank, dataFormat, dropoutRate, noiseShape } from '../layer-kinds.js';
import { baseConfig, findLayer, replaceLayer } from '../ir-edit.js';
import { knownOutputShape } from '../rank.js';
import { booleanOption, describe, findConvSource, viewOf } from '../rule-util.js';

/** Spatial axes of a rank-(n+2) map in the given layout. */
function spatialAxes(rank: number, format: 'channels_first' | 'channels_last'): number[] {
  const axes: number[] = [];
  for (let i = 0; i < rank; i++) axes.push(format === 'channels_first' ? i + 2 : i + 1);
  return axes;
}

function spatialDropoutFix(
  path: string[],
  layer: LayerIR,
  n: number,
  format: 'channels_first' | 'channels_last' | undefined,
): Fix {
  const className = `SpatialDropout${n}D`;
  return {
    kind: 'unsafe',
    description: `replace '${layer.name}' with ${className}(rate)${n > 1 && format ? ` (data_format '${format}')` : ''}`,
    apply(model) {
      const found = findLayer(model, path, layer.name);
      if (!found || found.layer.className !== 'Dropout') return;
      const rate = dropoutRate(found.layer) ?? 0.5;
      const extra = {
        rate,
        seed: found.layer.config['seed'] ?? null,
        ...(n > 1 ? { data_format: format ?? 'channels_last' } : {}),
      };
      replaceLayer(found.layer, className, baseConfig(found.layer, extra));
    },
  };
}

/** Element-wise dropout on convolutional feature maps (Tompson et al. 2015). */
export const noDropoutOnConvFeatureMaps: Rule = {
  id: 'no-dropout-on-conv-feature-maps',
  category: 'dropout',
  recommended: 'warn',
  strict: 'warn',
  defaultSeverity: 'warn',
  fixable: 'unsafe',
  defaultOptions: { throughPooling: true, flattenIsBoundary: true },
  docs: {
    summary: 'Element-wise Dropout/GaussianDropout applied to a convolutional feature map.',
    why:
      'Neighbouring activations of a conv feature map are strongly correlated, so dropping single elements ' +
      '"will not regularize the activations and will otherwise just result in an effective learning rate decrease" ' +
      '(Tompson et al., CVPR 2015, arXiv 1411.4280, as quoted in the Keras SpatialDropout2D docs); DropBlock ' +
      '(Ghiasi et al., NeurIPS 2018) makes the same observation and drops contiguous regions instead.',
    howToFix:
      "Use SpatialDropout{N}D with the same rate and the conv's data_format (drops whole feature maps), " +
      "Strata's DropBlock2D for 2-D maps, or move the Dropout after Flatten/GlobalPooling. " +
      'Setting noise_shape to broadcast over the spatial axes, e.g. (None, 1, 1, C), is equivalent to spatial dropout.',
    falsePositives:
      'The legacy Keras cifar10_cnn example (Conv → MaxPool → Dropout(0.25)) trains fine: the cost is weak ' +
      'regularisation, not breakage. Wu & Gu (arXiv 1512.00242) report benefits from max-pooling dropout. ' +
      'Maps whose spatial size is known to be 1×1 are skipped. Flatten counts as a boundary by default ' +
      '(Dropout after Flatten is the canonical Keras MNIST convnet), although it is equal in distribution.',
    options: {
      throughPooling: 'Look through MaxPooling/AveragePooling layers to find the conv (default true).',
      flattenIsBoundary: 'Treat Flatten as the end of the feature map (default true).',
    },
  },
  check(context) {
    const view = viewOf(context.model);
    const throughPooling = booleanOption(context.options, 'throughPooling', true);
    const flattenIsBoundary = booleanOption(context.options, 'flattenIsBoundary', true);
    for (const layer of view.order) {
      if (layer.className !== 'Dropout' && layer.className !== 'GaussianDropout') continue;
      const source = findConvSource(view, layer, { throughPooling, flattenIsBoundary });
      if (!source) continue;
      const n = convRank(source.conv)!;
      const format = dataFormat(source.conv);
      const throughFlatten = source.via.some((l) => l.className === 'Flatten');
      const noise = noiseShape(layer);
      if (noise && !throughFlatten && noise.length === n + 2) {
        const axes = spatialAxes(n, format ?? 'channels_last');
        if (axes.every((axis) => noise[axis] === 1)) continue;
      }
      const shape = knownOutputShape(context.shapes, layer);
      if (shape && !throughFlatten && shape.length === n + 2) {
        const axes = spatialAxes(n, format ?? 'channels_last');
        if (axes.every((axis) => shape[axis] === 1)) continue;
      }
      const spatial = `SpatialDropout${n}D`;
      const formatText = n > 1 && format ? `, data_format='${format}'` : '';
      const fixable = layer.className === 'Dropout' && !throughFlatten;
      context.report({
        layer,
        message:
          `${describe(layer)} drops single elements of the feature map of ${describe(source.conv)}; ` +
          `correlated neighbours make this a weak regulariser.`,
        hint:
          `Use ${spatial}(rate${formatText})${n === 2 ? ' or DropBlock2D' : ''} to drop whole feature maps, ` +
          'or move the dropout after Flatten/GlobalPooling.',
        ...(fixable ? { fix: spatialDropoutFix(context.path, layer, n, format) } : {}),
      });
    }
  },
};

/**
 * `replaceConvFeatureMapDropout(model)`: plain `Dropout` applied directly to convolutional
 * feature maps barely regularises, because neighbouring activations are strongly correlated
 * (Tompson et al. 2015); this swaps each such layer for the matching `SpatialDropout{1,2,3}D` —
 * the suggested fix of lint rule `no-dropout-on-conv-feature-maps`. Flatten, global pooling and
 * Dense are boundaries, as in that rule.
 */
import type { ModelIR } from '@strata/graph';
import type { Model } from '../core-api.js';
import { spatialDropoutFor } from '../helpers/spatial-dropout-for.js';
import { convSourceOf } from './graph-walk.js';
import { rebuildModel, replaceLayer } from './ir-edit.js';
import type { PolicyEdit } from './apply-dropout-policy.js';

/**
 * Replaces, in a model's IR, every `Dropout` without a `noise_shape` whose input comes from
 * convolutions (through activations, normalization, pooling or merges of same-rank convs) by
 * the spatial dropout of that rank and data format, keeping name, rate and seed.
 */
export function planConvFeatureMapDropout(ir: ModelIR): PolicyEdit[] {
  const edits: PolicyEdit[] = [];
  for (const layer of ir.layers) {
    if (layer.model !== undefined) {
      edits.push(...planConvFeatureMapDropout(layer.model).map((e) => ({ ...e, layer: `${layer.name}/${e.layer}` })));
      continue;
    }
    if (layer.className !== 'Dropout' || layer.model !== undefined || layer.nodes.length === 0) continue;
    const noiseShape = layer.config['noise_shape'];
    if (noiseShape !== undefined && noiseShape !== null) continue; // a chosen mask shape is deliberate
    const sources = layer.nodes.map((node) =>
      node.inputs.length === 1 ? convSourceOf(ir, node.inputs[0]!) : undefined,
    );
    const [first] = sources;
    if (
      first === undefined ||
      sources.some((s) => s === undefined || s.rank !== first.rank || s.dataFormat !== first.dataFormat)
    )
      continue;
    const rate = layer.config['rate'] as number;
    const seed = typeof layer.config['seed'] === 'number' ? layer.config['seed'] : null;
    const spatial = spatialDropoutFor(
      { rank: first.rank, dataFormat: first.dataFormat as 'channels_last' | 'channels_first' | null },
      rate,
      { seed, name: layer.name },
    );
    replaceLayer(ir, layer, spatial);
    edits.push({ action: 'replace', layer: layer.name, className: spatial.className });
  }
  return edits;
}

/** Returns a new model where Dropout on conv feature maps is SpatialDropout{N}D (weights carried over). */
export function replaceConvFeatureMapDropout(model: Model): Model {
  return rebuildModel(model, (ir) => {
    planConvFeatureMapDropout(ir);
  });
}

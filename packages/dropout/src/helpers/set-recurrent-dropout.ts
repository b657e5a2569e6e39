/**
 * `setRecurrentDropout(layerOrModel, {dropout, recurrentDropout})`: RNN dropout rates are
 * construction-time settings (the cells build their mask generators from them), so this returns
 * a rebuilt layer — or a rebuilt model, through the model IR — with the same weights.
 */
import { hasRnnDropoutConfig, type JsonObject, type JsonValue, type ModelIR } from '@strata/graph';
import { Functional, Layer, configToCamel, layerFromConfig, layers, type Model } from '../core-api.js';
import { rebuildModel } from '../policies/ir-edit.js';
import { checkRate } from '../layers/rate.js';

/** The rates to set; an absent rate keeps the layer's current value. */
export interface RecurrentDropoutRates {
  /** Fraction of the input units dropped (Keras `dropout`). */
  dropout?: number;
  /** Fraction of the recurrent units dropped (Keras `recurrent_dropout`). */
  recurrentDropout?: number;
  /** Seed of the new masks (default: keep the layer's). */
  seed?: number | null;
}

/** True for a recurrent layer that has (or wraps cells that have) dropout rates. */
export function isRecurrentLayer(layer: Layer): boolean {
  return layer instanceof layers.RNN || layer instanceof layers.Bidirectional;
}

function checkRates(rates: RecurrentDropoutRates): void {
  if (rates.dropout !== undefined) checkRate(rates.dropout, 'setRecurrentDropout', 'dropout');
  if (rates.recurrentDropout !== undefined)
    checkRate(rates.recurrentDropout, 'setRecurrentDropout', 'recurrentDropout');
}

/**
 * Sets the rates inside a Keras (snake_case) layer config, following `RNN.cell`,
 * `StackedRNNCells.cells` and `Bidirectional.layer` / `backward_layer`. Returns whether
 * anything was set.
 */
export function setRecurrentDropoutInConfig(
  className: string,
  config: JsonObject,
  rates: RecurrentDropoutRates,
): boolean {
  // Classes whose config holds `dropout` / `recurrent_dropout` directly (RNN layers and cells).
  if (hasRnnDropoutConfig(className)) {
    if (rates.dropout !== undefined) config['dropout'] = rates.dropout;
    if (rates.recurrentDropout !== undefined) config['recurrent_dropout'] = rates.recurrentDropout;
    if (rates.seed !== undefined) config['seed'] = rates.seed;
    return true;
  }
  let changed = false;
  const nested = (value: JsonValue | undefined): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const cls = value['class_name'];
    const cfg = value['config'];
    if (typeof cls === 'string' && cfg !== null && typeof cfg === 'object' && !Array.isArray(cfg)) {
      changed = setRecurrentDropoutInConfig(cls, cfg, rates) || changed;
    }
  };
  if (className === 'RNN') nested(config['cell']);
  if (className === 'StackedRNNCells' && Array.isArray(config['cells'])) config['cells'].forEach(nested);
  if (className === 'Bidirectional') {
    nested(config['layer']);
    nested(config['backward_layer']);
  }
  return changed;
}

/** Copies weights from `source` to `target` when both are built with the same weight shapes. */
function copyWeights(source: Layer, target: Layer): void {
  if (!source.built || source.weights.length === 0) return;
  if (!target.built && source.builtInputShape !== null) target.maybeBuild(source.builtInputShape);
  const values = source.getWeights();
  try {
    target.setWeights(values);
  } finally {
    for (const v of values) v.dispose();
  }
}

/**
 * Returns a copy of an RNN layer (SimpleRNN, LSTM, GRU, RNN(cell), Bidirectional, WeightDropLSTM)
 * with new dropout rates and the same weights; or, for a model, a new model (rebuilt through the
 * IR, weights copied by layer name) where every recurrent layer has the new rates.
 *
 * @throws when a layer is given that is not recurrent, or a model has no recurrent layer
 */
export function setRecurrentDropout(target: Model, rates: RecurrentDropoutRates): Model;
export function setRecurrentDropout<T extends Layer>(target: T, rates: RecurrentDropoutRates): T;
export function setRecurrentDropout(target: Layer, rates: RecurrentDropoutRates): Layer {
  checkRates(rates);
  if (target instanceof Functional) {
    return rebuildModel(target as Model, (ir: ModelIR) => {
      const setIn = (model: ModelIR): number =>
        model.layers.reduce(
          (count, l) =>
            count +
            (l.model !== undefined
              ? setIn(l.model)
              : setRecurrentDropoutInConfig(l.className, l.config, rates)
                ? 1
                : 0),
          0,
        );
      if (setIn(ir) === 0)
        throw new Error(
          `setRecurrentDropout: model "${target.name}" has no recurrent layer (SimpleRNN, LSTM, GRU, RNN, Bidirectional)`,
        );
    });
  }
  if (!isRecurrentLayer(target)) {
    throw new Error(
      `setRecurrentDropout: layer "${target.name}" (${target.className}) is not recurrent; expected SimpleRNN, LSTM, GRU, RNN or Bidirectional`,
    );
  }
  const config = target.kerasConfig();
  setRecurrentDropoutInConfig(target.className, config, rates);
  const rebuilt = layerFromConfig(target.className, configToCamel(config));
  copyWeights(target, rebuilt);
  return rebuilt;
}

/**
 * The rule registry: every rule, in catalogue order, and the presets built from them.
 */
import type { PresetName, Rule, Severity } from '../types.js';
import { presetNames, presetSeverity } from '../presets.js';
import { noDropoutOnConvFeatureMaps } from './no-dropout-on-conv-feature-maps.js';
import { noDropoutBeforeBatchnorm } from './no-dropout-before-batchnorm.js';
import { noDropoutAfterProbabilities } from './no-dropout-after-probabilities.js';
import { noTrailingDropout } from './no-trailing-dropout.js';
import { noConsecutiveDropout } from './no-consecutive-dropout.js';
import { dropoutRateInvalid } from './dropout-rate-invalid.js';
import { dropoutRateZero } from './dropout-rate-zero.js';
import { dropoutRateHigh } from './dropout-rate-high.js';
import { inputDropoutRateHigh } from './input-dropout-rate-high.js';
import { spatialDropoutRankMismatch } from './spatial-dropout-rank-mismatch.js';
import { spatialDropoutDataFormatMismatch } from './spatial-dropout-data-format-mismatch.js';
import { batchnormAxisMismatch } from './batchnorm-axis-mismatch.js';
import { redundantBiasBeforeBatchnorm } from './redundant-bias-before-batchnorm.js';
import { alphaDropoutRequiresSelu } from './alpha-dropout-requires-selu.js';
import { seluPrefersAlphaDropout } from './selu-prefers-alpha-dropout.js';
import { seluRequiresLecunNormal } from './selu-requires-lecun-normal.js';
import { preferVariationalRnnDropout } from './prefer-variational-rnn-dropout.js';
import { rnnCudnnIneligible } from './rnn-cudnn-ineligible.js';
import { dropoutAlwaysActive } from './dropout-always-active.js';
import { stochasticDepthOutsideResidual } from './stochastic-depth-outside-residual.js';
import { dropblockBlockSizeTooLarge } from './dropblock-block-size-too-large.js';
import { dropblockRateRange } from './dropblock-rate-range.js';
import { dropoutOnResidualTrunk } from './dropout-on-residual-trunk.js';
import { transformerResidualDropoutMissing } from './transformer-residual-dropout-missing.js';
import { dropoutBeforePooling } from './dropout-before-pooling.js';
import { deepSaturatingChain } from './deep-saturating-chain.js';

const RULES: readonly Rule[] = [
  noDropoutOnConvFeatureMaps,
  noDropoutBeforeBatchnorm,
  noDropoutAfterProbabilities,
  noTrailingDropout,
  noConsecutiveDropout,
  dropoutRateInvalid,
  dropoutRateZero,
  dropoutRateHigh,
  inputDropoutRateHigh,
  spatialDropoutRankMismatch,
  spatialDropoutDataFormatMismatch,
  batchnormAxisMismatch,
  redundantBiasBeforeBatchnorm,
  alphaDropoutRequiresSelu,
  seluPrefersAlphaDropout,
  seluRequiresLecunNormal,
  preferVariationalRnnDropout,
  rnnCudnnIneligible,
  dropoutAlwaysActive,
  stochasticDepthOutsideResidual,
  dropblockBlockSizeTooLarge,
  dropblockRateRange,
  dropoutOnResidualTrunk,
  transformerResidualDropoutMissing,
  dropoutBeforePooling,
  deepSaturatingChain,
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** Every rule, in catalogue order. */
export function allRules(): Rule[] {
  return [...RULES];
}

/** The rule with this id, or `undefined`. */
export function getRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/** All rule ids, in catalogue order. */
export function ruleIds(): string[] {
  return RULES.map((rule) => rule.id);
}

/** A preset: its description and the severity of every rule in it. */
export interface Preset {
  name: PresetName;
  description: string;
  rules: Record<string, Severity>;
}

const DESCRIPTIONS: Record<PresetName, string> = {
  recommended: 'Literature-backed mistakes and hard errors; the default.',
  strict: 'recommended plus style/perf hints (redundant bias, SELU init, variational RNN dropout, ...).',
  all: 'Every rule, each at its own severity, including the off-by-default parity rules.',
};

/** The presets `recommended` (default), `strict` and `all`. */
export const presets: Readonly<Record<PresetName, Preset>> = Object.fromEntries(
  presetNames.map((name) => [
    name,
    {
      name,
      description: DESCRIPTIONS[name],
      rules: Object.fromEntries(RULES.map((rule) => [rule.id, presetSeverity(rule, name)])),
    },
  ]),
) as Record<PresetName, Preset>;

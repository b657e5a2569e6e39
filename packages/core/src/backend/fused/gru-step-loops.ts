/**
 * The element-wise work of one GRU step as strided loops (../wasm-simd/simd-loop-compiler.ts; the form is
 * lstm-step-loops.ts's): gate order z, r, ĥ, `tanh(x) = 2·sigmoid(2x) − 1`, each formula evaluated
 * in the order of gru-sequence-forward.ts's comments.
 */
import { rowLoopSet } from './row-loops.js';
import { maskedState, stateGradientLoop } from './sequence-loops.js';
import { E, type LoopFunction, type Stmt } from '../wasm-simd/simd-loop-compiler.js';

const { load, t, c, add, sub, mul } = E;
const one = c(1);
const two = c(2);

/** z's or r's pre-activation: `((xProj + bias) + rec) + recurrentBias`. */
const gatePre: LoopFunction = {
  name: 'gate_pre',
  arrays: ['pre', 'xProj', 'bias', 'rec', 'recBias'],
  scalars: [],
  body: [{ store: 'pre', value: add(add(add(load('xProj'), load('bias')), load('rec')), load('recBias')) }],
  strided: true,
};

/** reset_after: the candidate's recurrent term `rec + recurrentBias`, which r multiplies. */
const candidateTerm: LoopFunction = {
  name: 'candidate_term',
  arrays: ['aux', 'rec', 'recBias'],
  scalars: [],
  body: [{ store: 'aux', value: add(load('rec'), load('recBias')) }],
  strided: true,
};

/** Otherwise: the candidate product's operand `(r ⊙ h₋₁) ⊙ m` (saved too). */
const resetState: LoopFunction = {
  name: 'reset_state',
  arrays: ['q', 'aux', 'r', 'h', 'mask'],
  scalars: [],
  body: [
    { let: 'q', value: mul(mul(load('r'), load('h')), load('mask')) },
    { store: 'q', value: t('q') },
    { store: 'aux', value: t('q') },
  ],
  strided: true,
};

/** The candidate's doubled pre-activation `2·((xProj + bias) + rec)`, rec its product's result. */
const candidatePre: LoopFunction = {
  name: 'candidate_pre',
  arrays: ['two', 'xProj', 'bias', 'rec'],
  scalars: [],
  body: [{ store: 'two', value: mul(two, add(add(load('xProj'), load('bias')), load('rec'))) }],
  strided: true,
};

/** reset_after: `2·((xProj + bias) + r·aux)`. */
const candidatePreResetAfter: LoopFunction = {
  name: 'candidate_pre_reset_after',
  arrays: ['two', 'xProj', 'bias', 'r', 'aux'],
  scalars: [],
  body: [{ store: 'two', value: mul(two, add(add(load('xProj'), load('bias')), mul(load('r'), load('aux')))) }],
  strided: true,
};

/** `h = z·h₋₁ + (1 − z)·ĥ` with `ĥ = 2·sigmoid(2x) − 1`; saves z, r and ĥ. */
const hidden: LoopFunction = {
  name: 'hidden',
  arrays: ['az', 'ar', 'sig', 'h', 'gz', 'gr', 'gc', 'hOut', 'out'],
  scalars: [],
  body: [
    { let: 'z', value: load('az') },
    { let: 'cand', value: sub(mul(two, load('sig')), one) },
    { store: 'gz', value: t('z') },
    { store: 'gr', value: load('ar') },
    { store: 'gc', value: t('cand') },
    { let: 'h', value: add(mul(t('z'), load('h')), mul(sub(one, t('z')), t('cand'))) },
    { store: 'hOut', value: t('h') },
    { store: 'out', value: t('h') },
  ],
  strided: true,
};

/** Stores `value` as gate `g`'s gradient: of the pre-activation (`dx`), the product (`dp`) and its operand (`op`). */
const put = (g: number, pre: string, product: string): Stmt[] => [
  { store: `dx${g}`, value: t(pre) },
  { store: `dp${g}`, value: t(product) },
  { store: `op${g}`, value: t(product) },
];

/**
 * One step backward for every sample as if the time mask kept it: z's and the candidate's
 * gradients, r's too with reset_after (otherwise `reset_gradient` follows the candidate
 * product's backward), `passH = dh_new·z`, and `carried = 0`.
 */
function backward(resetAfter: boolean): LoopFunction {
  const gates = resetAfter ? [0, 1, 2] : [0, 2];
  return {
    name: resetAfter ? 'backward_reset_after' : 'backward',
    arrays: [
      'gz',
      'gc',
      'h',
      'dy',
      'carried',
      'dh',
      'passH',
      ...(resetAfter ? ['gr', 'aux'] : []),
      ...gates.flatMap((g) => [`dx${g}`, `dp${g}`, `op${g}`]),
    ],
    scalars: [],
    body: [
      { let: 'dhNew', value: add(add(load('dy'), load('carried')), load('dh')) },
      { let: 'z', value: load('gz') },
      { let: 'cand', value: load('gc') },
      { let: 'dCand', value: mul(mul(t('dhNew'), sub(one, t('z'))), sub(one, mul(t('cand'), t('cand')))) },
      { let: 'dz', value: mul(mul(mul(t('dhNew'), sub(load('h'), t('cand'))), t('z')), sub(one, t('z'))) },
      ...put(0, 'dz', 'dz'),
      { store: 'passH', value: mul(t('dhNew'), t('z')) },
      { store: 'carried', value: c(0) },
      ...(resetAfter
        ? [
            { let: 'r', value: load('gr') },
            { let: 'dr', value: mul(mul(mul(t('dCand'), load('aux')), t('r')), sub(one, t('r'))) },
            ...put(1, 'dr', 'dr'),
            { let: 'dCandR', value: mul(t('dCand'), t('r')) },
            ...put(2, 'dCand', 'dCandR'),
          ]
        : put(2, 'dCand', 'dCand')),
    ],
    strided: true,
  };
}

/** Without reset_after: r's gradient from `dq = dĥ_pre·R_hᵀ`, and q's share of h₋₁'s gradient. */
const resetGradient: LoopFunction = {
  name: 'reset_gradient',
  arrays: ['dq', 'h', 'mask', 'gr', 'dx1', 'dp1', 'op1', 'passH'],
  scalars: [],
  body: [
    { let: 'r', value: load('gr') },
    { let: 'dr', value: mul(mul(mul(mul(load('dq'), load('h')), load('mask')), t('r')), sub(one, t('r'))) },
    ...put(1, 'dr', 'dr'),
    { store: 'passH', value: add(load('passH'), mul(mul(load('dq'), t('r')), load('mask'))) },
  ],
  strided: true,
};

/** The GRU step loops' definitions. */
export const GRU_STEP_LOOPS: readonly LoopFunction[] = [
  maskedState,
  gatePre,
  candidateTerm,
  resetState,
  candidatePre,
  candidatePreResetAfter,
  hidden,
  backward(true),
  backward(false),
  resetGradient,
  stateGradientLoop(1, false),
  stateGradientLoop(2, true),
  stateGradientLoop(3, true),
];

/** The GRU step loops. */
export const gruLoops = rowLoopSet(GRU_STEP_LOOPS);

/**
 * The element-wise work of one LSTM step, written once as strided loops (../wasm-simd/simd-loop-compiler.ts):
 * SIMD on the wasm heap, interpreted elsewhere (row-loops.ts). Each loop runs over the batch's
 * rows and one gate's `H` columns; arrays with a stride of `4H` walk one gate's block of a
 * `[B, 4H]` matrix. Keras's default activations: `tanh(x) = 2·sigmoid(2x) − 1`, so the cell
 * gate's pre-activation is doubled and every nonlinearity is the backend's sigmoid.
 */
import { E, type LoopFunction, type Stmt } from '../wasm-simd/simd-loop-compiler.js';
import { rowLoopSet } from './row-loops.js';
import { maskedState, stateGradientLoop } from './sequence-loops.js';

const { load, s, t, c, add, sub, mul } = E;
const one = c(1);
const two = c(2);

/** `z = scale·(xProj + bias + rec)` for one gate's block (scale 2 for the cell gate). */
const preActivation: LoopFunction = {
  name: 'pre_activation',
  arrays: ['z', 'xProj', 'bias', 'rec'],
  scalars: ['scale'],
  body: [{ store: 'z', value: mul(s('scale'), add(add(load('xProj'), load('bias')), load('rec'))) }],
  strided: true,
};

/** From the gates' sigmoids: the gates i, f, g = tanh, o, the new carry `c = f·c₋₁ + i·g` and `2c`. */
const carry: LoopFunction = {
  name: 'carry',
  arrays: ['ai', 'af', 'ac', 'ao', 'cPrev', 'gi', 'gf', 'gc', 'go', 'c', 'twoC'],
  scalars: [],
  body: [
    { let: 'i', value: load('ai') },
    { let: 'f', value: load('af') },
    { let: 'g', value: sub(mul(two, load('ac')), one) },
    { store: 'gi', value: t('i') },
    { store: 'gf', value: t('f') },
    { store: 'gc', value: t('g') },
    { store: 'go', value: load('ao') },
    { let: 'c', value: add(mul(t('f'), load('cPrev')), mul(t('i'), t('g'))) },
    { store: 'c', value: t('c') },
    { store: 'twoC', value: mul(two, t('c')) },
  ],
  strided: true,
};

/** `h = o·tanh(c)` from `sigmoid(2c)`; h is both the state and the output. */
const hidden: LoopFunction = {
  name: 'hidden',
  arrays: ['sig2c', 'go', 'tanhC', 'h', 'out'],
  scalars: [],
  body: [
    { let: 'tc', value: sub(mul(two, load('sig2c')), one) },
    { store: 'tanhC', value: t('tc') },
    { let: 'h', value: mul(load('go'), t('tc')) },
    { store: 'h', value: t('h') },
    { store: 'out', value: t('h') },
  ],
  strided: true,
};

/**
 * One step backward: from the output's gradient `dy` (plus the output gradient a masked step
 * `carried` here), the state's `dh` and the carry's `dc`, the pre-activation gradients `dz` of
 * the four gates (stored twice: into `dx*`, the projection's gradient, and `d*`, the recurrent
 * product's operand), the previous carry's gradient (into `dc`), and zero `passH` and `carried`.
 */
const backward: LoopFunction = {
  name: 'backward',
  arrays: [
    'gi',
    'gf',
    'gc',
    'go',
    'tanhC',
    'cPrev',
    'dy',
    'carried',
    'dh',
    'dc',
    'passH',
    'dxi',
    'dxf',
    'dxc',
    'dxo',
    'di',
    'df',
    'dg',
    'do',
  ],
  scalars: [],
  body: [
    { let: 'dhNew', value: add(add(load('dy'), load('carried')), load('dh')) },
    { let: 'tc', value: load('tanhC') },
    { let: 'o', value: load('go') },
    { let: 'i', value: load('gi') },
    { let: 'f', value: load('gf') },
    { let: 'g', value: load('gc') },
    { let: 'dCarry', value: add(load('dc'), mul(mul(t('dhNew'), t('o')), sub(one, mul(t('tc'), t('tc'))))) },
    { let: 'dzi', value: mul(mul(mul(t('dCarry'), t('g')), t('i')), sub(one, t('i'))) },
    { let: 'dzf', value: mul(mul(mul(t('dCarry'), load('cPrev')), t('f')), sub(one, t('f'))) },
    { let: 'dzg', value: mul(mul(t('dCarry'), t('i')), sub(one, mul(t('g'), t('g')))) },
    { let: 'dzo', value: mul(mul(mul(t('dhNew'), t('tc')), t('o')), sub(one, t('o'))) },
    ...(['i', 'f', 'c', 'o'] as const).map((gate): Stmt => ({
      store: `dx${gate}`,
      value: t(`dz${gate === 'c' ? 'g' : gate}`),
    })),
    { store: 'di', value: t('dzi') },
    { store: 'df', value: t('dzf') },
    { store: 'dg', value: t('dzg') },
    { store: 'do', value: t('dzo') },
    { store: 'dc', value: mul(t('dCarry'), t('f')) },
    { store: 'passH', value: c(0) },
    { store: 'carried', value: c(0) },
  ],
  strided: true,
};

/** The LSTM step loops' definitions. */
export const LSTM_STEP_LOOPS: readonly LoopFunction[] = [
  maskedState,
  preActivation,
  carry,
  hidden,
  backward,
  stateGradientLoop(4, true),
  stateGradientLoop(1, false),
];

/** The LSTM step loops. */
export const lstmLoops = rowLoopSet(LSTM_STEP_LOOPS);

/**
 * The element-wise work of one SimpleRNN step as strided loops (the form is lstm-step-loops.ts's):
 * `h = tanh(xProj + b + rec)` with `tanh(x) = 2·sigmoid(2x) − 1`.
 */
import { rowLoopSet } from './row-loops.js';
import { maskedState, stateGradientLoop } from './sequence-loops.js';
import { E, type LoopFunction } from '../wasm-simd/simd-loop-compiler.js';

const { load, t, c, add, sub, mul } = E;
const one = c(1);
const two = c(2);

/** The doubled pre-activation `2·((xProj + bias) + rec)`. */
const preActivation: LoopFunction = {
  name: 'pre_activation',
  arrays: ['two', 'xProj', 'bias', 'rec'],
  scalars: [],
  body: [{ store: 'two', value: mul(two, add(add(load('xProj'), load('bias')), load('rec'))) }],
  strided: true,
};

/** `h = 2·sigmoid(2x) − 1`: saved, the new state and the output. */
const state: LoopFunction = {
  name: 'state',
  arrays: ['sig', 'gate', 'h', 'out'],
  scalars: [],
  body: [
    { let: 'h', value: sub(mul(two, load('sig')), one) },
    { store: 'gate', value: t('h') },
    { store: 'h', value: t('h') },
    { store: 'out', value: t('h') },
  ],
  strided: true,
};

/** One step backward as if kept: `dPre = ((dy + carried) + dh)·(1 − h²)` into dx and the product's operand. */
const backward: LoopFunction = {
  name: 'backward',
  arrays: ['gate', 'dy', 'carried', 'dh', 'passH', 'dx', 'op'],
  scalars: [],
  body: [
    { let: 'h', value: load('gate') },
    { let: 'dPre', value: mul(add(add(load('dy'), load('carried')), load('dh')), sub(one, mul(t('h'), t('h')))) },
    { store: 'dx', value: t('dPre') },
    { store: 'op', value: t('dPre') },
    { store: 'passH', value: c(0) },
    { store: 'carried', value: c(0) },
  ],
  strided: true,
};

/** The SimpleRNN step loops' definitions. */
export const SIMPLE_RNN_STEP_LOOPS: readonly LoopFunction[] = [
  maskedState,
  preActivation,
  state,
  backward,
  stateGradientLoop(1, false),
  stateGradientLoop(1, true),
];

/** The SimpleRNN step loops. */
export const simpleRNNLoops = rowLoopSet(SIMPLE_RNN_STEP_LOOPS);

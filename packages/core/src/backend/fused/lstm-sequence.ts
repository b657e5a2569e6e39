/**
 * A whole LSTM layer call as one kernel, with a hand-written gradient kernel: the time loop runs
 * inside the kernel (see lstm-sequence-forward.ts and lstm-sequence-backward.ts), so a training
 * step costs one forward and one backward kernel call per layer call instead of ~15 small kernels
 * per time step. The input projection `x·W + b` stays outside as ordinary ops (one product for all
 * steps), so its gradients flow through TF.js's own.
 *
 * Keras's default activations (tanh, sigmoid) only. Registered for the `wasm` and `cpu` backends
 * only, so a native backend keeps its own kernels; the LSTM cell uses its per-step plan wherever
 * these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { lstmSequenceBackward } from './lstm-sequence-backward.js';
import { lstmSequenceForward, type LSTMSequenceAttrs, type SequenceDims } from './lstm-sequence-forward.js';
import { readValues, sequenceWorkspace, type FusedBackend, type SequenceWorkspace } from './sequence-workspace.js';

/**
 * Forward kernel: inputs `xProj` `[T, B, 4H]` (or, with attribute `gateMajor`, `xProj0`…`xProj3`
 * `[T, B, H]`, one per gate), `bias` `[4H]` or `[0]`, `recurrentKernel` `[H, 4H]`, `h0`, `c0`
 * `[B, H]`, `recurrentMasks` `[4, B, H]` or `[0]`, `timeMask` `[B, T]` or `[0]`; attributes
 * `goBackwards`, `zeroOutputForMask`, `gateMajor`; outputs `outputs` `[T, B, H]` (processing order), `h`, `c` `[B, H]`, and for
 * the gradient the gate activations `[T, B, 4H]`, the states after every step `[T, B, H]` (h, c)
 * and tanh(c) of every step.
 */
export const LSTM_SEQUENCE = 'StrataLSTMSequence';
/**
 * Gradient kernel: the forward inputs `recurrentKernel`, `h0`, `c0`, `recurrentMasks`, `timeMask`,
 * the saved `gates`, `hs`, `cs`, `tanhCs`, and the gradients `dOutputs`, `dh`, `dc` (`[0]` when unused);
 * outputs the gradients of `recurrentKernel`, `h0`, `c0`, `bias`, then of `xProj` (or of `xProj0`…`xProj3`).
 */
export const LSTM_SEQUENCE_GRAD = 'StrataLSTMSequenceGrad';

const attrsOf = (attrs: NamedAttrMap | undefined): LSTMSequenceAttrs => ({
  goBackwards: attrs?.['goBackwards'] === true,
  zeroOutputForMask: attrs?.['zeroOutputForMask'] === true,
});

/** The names of the input projection's inputs. */
const projectionNames = (gateMajor: boolean): string[] =>
  gateMajor ? ['xProj0', 'xProj1', 'xProj2', 'xProj3'] : ['xProj'];

/** Checks the shapes of the forward inputs and returns T, B, H. */
function dimensions(inputs: Record<string, TensorInfo | undefined>, gateMajor: boolean): SequenceDims {
  const { recurrentKernel, h0, c0, recurrentMasks, timeMask, bias } = inputs;
  const xProj = inputs[gateMajor ? 'xProj0' : 'xProj'];
  const fail = (what: string, info: TensorInfo | undefined): never => {
    throw new Error(
      `${LSTM_SEQUENCE}: expected ${what}, got ${info === undefined ? 'nothing' : `(${info.shape.join(', ')})`}`,
    );
  };
  if (xProj === undefined || xProj.shape.length !== 3 || (!gateMajor && xProj.shape[2]! % 4 !== 0)) {
    return fail(gateMajor ? 'xProj0 of shape (time, batch, units)' : 'xProj of shape (time, batch, 4·units)', xProj);
  }
  const [T, B, width] = xProj.shape as [number, number, number];
  const H = gateMajor ? width : width / 4;
  const H4 = 4 * H;
  const same = (info: TensorInfo | undefined, shape: number[]): boolean =>
    info !== undefined && info.shape.length === shape.length && info.shape.every((d, i) => d === shape[i]);
  for (const name of projectionNames(gateMajor)) {
    if (!same(inputs[name], [T, B, gateMajor ? H : H4]))
      fail(`${name} of shape (${T}, ${B}, ${gateMajor ? H : H4})`, inputs[name]);
  }
  if (!same(bias, [0]) && !same(bias, [H4])) fail(`bias of shape (${H4}) or (0)`, bias);
  if (!same(recurrentKernel, [H, H4])) fail(`recurrentKernel of shape (${H}, ${H4})`, recurrentKernel);
  if (!same(h0, [B, H])) fail(`h0 of shape (${B}, ${H})`, h0);
  if (!same(c0, [B, H])) fail(`c0 of shape (${B}, ${H})`, c0);
  if (!same(recurrentMasks, [0]) && !same(recurrentMasks, [4, B, H])) {
    fail(`recurrentMasks of shape (4, ${B}, ${H}) or (0)`, recurrentMasks);
  }
  if (!same(timeMask, [0]) && !same(timeMask, [B, T])) fail(`timeMask of shape (${B}, ${T}) or (0)`, timeMask);
  return { T, B, H };
}

/** Runs `body` with a workspace that is freed afterwards (outputs handed out are kept). */
function withWorkspace<T>(
  backendName: FusedBackend,
  backend: object,
  name: string,
  body: (ws: SequenceWorkspace) => T,
): T {
  const ws = sequenceWorkspace(backendName, backend, name);
  try {
    return body(ws);
  } finally {
    ws.dispose();
  }
}

function forwardKernel(backendName: FusedBackend): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo | undefined>;
    const gateMajor = attrs?.['gateMajor'] === true;
    const dims = dimensions(named, gateMajor);
    const { T, B, H } = dims;
    return withWorkspace(backendName, backend, LSTM_SEQUENCE, (ws) => {
      const masks = named['recurrentMasks']!;
      const timeMask = named['timeMask']!;
      const bias = named['bias']!;
      const result = lstmSequenceForward(
        ws,
        {
          xProj: projectionNames(gateMajor).map((name) => ws.input(named[name]!)),
          bias: bias.shape[0] === 0 ? null : ws.input(bias),
          recurrentKernel: ws.input(named['recurrentKernel']!),
          h0: ws.input(named['h0']!),
          c0: ws.input(named['c0']!),
          recurrentMasks: masks.shape.length === 1 ? null : ws.input(masks),
          timeMask: timeMask.shape.length === 1 ? null : readValues(backendName, backend, timeMask),
        },
        attrsOf(attrs),
        dims,
      );
      // The final states are copies of the last step's (outputs must not share memory).
      const last = (T - 1) * B * H;
      const h = ws.alloc([B, H]);
      const c = ws.alloc([B, H]);
      ws.view(h).set(ws.view(result.hs).subarray(last, last + B * H));
      ws.view(c).set(ws.view(result.cs).subarray(last, last + B * H));
      return [result.outputs, h, c, result.gates, result.hs, result.cs, result.tanhCs].map((b) => ws.output(b));
    });
  };
}

function gradientKernel(backendName: FusedBackend): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo | undefined>;
    const gates = named['gates'];
    const recurrentKernel = named['recurrentKernel'];
    if (gates === undefined || gates.shape.length !== 3 || recurrentKernel === undefined) {
      throw new Error(
        `${LSTM_SEQUENCE_GRAD}: expected the saved gates (time, batch, 4·units) and the recurrent kernel`,
      );
    }
    const [T, B, H4] = gates.shape as [number, number, number];
    const dims = { T, B, H: H4 / 4 };
    const gateMajor = attrs?.['gateMajor'] === true;
    return withWorkspace(backendName, backend, LSTM_SEQUENCE_GRAD, (ws) => {
      const optional = (name: string) => {
        const info = named[name];
        return info === undefined || info.shape.length === 1 ? null : ws.input(info);
      };
      const timeMask = named['timeMask'];
      const result = lstmSequenceBackward(
        ws,
        {
          recurrentKernel: ws.input(recurrentKernel),
          h0: ws.input(named['h0']!),
          c0: ws.input(named['c0']!),
          recurrentMasks: optional('recurrentMasks'),
          timeMask:
            timeMask === undefined || timeMask.shape.length === 1 ? null : readValues(backendName, backend, timeMask),
          gates: ws.input(gates),
          hs: ws.input(named['hs']!),
          cs: ws.input(named['cs']!),
          tanhCs: ws.input(named['tanhCs']!),
          dOutputs: optional('dOutputs'),
          dh: optional('dh'),
          dc: optional('dc'),
        },
        attrsOf(attrs),
        dims,
        gateMajor,
      );
      return [
        ws.output(result.dRecurrentKernel),
        ws.output(result.dh0),
        ws.output(result.dc0),
        ws.output(result.dBias),
        ...result.dxProj.map((dx) => ws.output(dx, [T, B, gateMajor ? H4 / 4 : H4])),
      ];
    });
  };
}

/** The inputs of {@link lstmSequence}. */
export interface LSTMSequenceArgs {
  /**
   * The input projection without the bias, time-major, by input time: `[T, B, 4H]`, or four
   * `[T, B, H]` (one per gate).
   */
  xProj: tf.Tensor | tf.Tensor[];
  /** `[4H]`, or null. */
  bias: tf.Tensor | null;
  /** `[H, 4H]`. */
  recurrentKernel: tf.Tensor;
  h0: tf.Tensor;
  c0: tf.Tensor;
  /** Four `[B, H]` recurrent dropout masks (one per gate), or null. */
  recurrentMasks: tf.Tensor[] | null;
  /** `[B, T]` time mask (any dtype; 0 / false skips the step), or null. */
  mask: tf.Tensor | null;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** The LSTM over a whole sequence: outputs `[T, B, H]` in processing order and the final states. */
export function lstmSequence(args: LSTMSequenceArgs): { outputs: tf.Tensor; h: tf.Tensor; c: tf.Tensor } {
  const [outputs, h, c] = tf.tidy(() => {
    const none = (): tf.Tensor => tf.zeros([0]);
    const gateMajor = Array.isArray(args.xProj);
    const projections = Array.isArray(args.xProj) ? args.xProj : [args.xProj];
    const inputs: tf.NamedTensorMap = {
      ...Object.fromEntries(projectionNames(gateMajor).map((name, g) => [name, projections[g]!])),
      bias: args.bias ?? none(),
      recurrentKernel: args.recurrentKernel,
      h0: args.h0,
      c0: args.c0,
      recurrentMasks: args.recurrentMasks === null ? none() : tf.stack(args.recurrentMasks),
      timeMask: args.mask ?? none(),
    };
    const attrs = { goBackwards: args.goBackwards, zeroOutputForMask: args.zeroOutputForMask, gateMajor };
    // The saved values (outputs 3–6) are disposed with this scope; the tape keeps its own copies.
    const all = tf.engine().runKernel(LSTM_SEQUENCE, inputs, attrs) as unknown as tf.Tensor[];
    return all.slice(0, 3);
  }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return { outputs, h, c };
}

/** Whether the current backend has the whole-sequence LSTM kernel (wasm and cpu, once registered). */
export function hasLSTMSequence(): boolean {
  return tf.getKernel(LSTM_SEQUENCE, tf.getBackend()) !== undefined;
}

let gradientRegistered = false;

/** Registers the whole-sequence LSTM kernels for `backendName` (idempotent) and, once, their gradient. */
export function registerLSTMSequence(backendName: FusedBackend): void {
  const configs: KernelConfig[] = [
    { kernelName: LSTM_SEQUENCE, backendName, kernelFunc: forwardKernel(backendName) },
    { kernelName: LSTM_SEQUENCE_GRAD, backendName, kernelFunc: gradientKernel(backendName) },
  ];
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LSTM_SEQUENCE,
    inputsToSave: ['recurrentKernel', 'h0', 'c0', 'recurrentMasks', 'timeMask', 'bias'],
    outputsToSave: [false, false, false, true, true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [recurrentKernel, h0, c0, recurrentMasks, timeMask, bias, gates, hs, cs, tanhCs] = saved as tf.Tensor[];
      const [dOutputs, dh, dc] = (dys as (tf.Tensor | null)[]).map((d) => d ?? tf.zeros([0]));
      // All four gradients come from one kernel call, made here (not in the per-input closures,
      // which the tape runs in separate tidy scopes).
      const [dRecurrentKernel, dh0, dc0, dBias, ...dxProj] = tf.engine().runKernel(
        LSTM_SEQUENCE_GRAD,
        {
          recurrentKernel,
          h0,
          c0,
          recurrentMasks,
          timeMask,
          gates,
          hs,
          cs,
          tanhCs,
          dOutputs,
          dh,
          dc,
        } as tf.NamedTensorMap,
        attrs,
      ) as unknown as tf.Tensor[];
      const projections = projectionNames(attrs['gateMajor'] === true);
      return {
        ...Object.fromEntries(projections.map((name, g) => [name, () => dxProj[g]!])),
        // A call without bias has a [0] placeholder, which is on no gradient path.
        bias: () => (bias!.shape[0] === 0 ? tf.zeros([0]) : dBias!),
        recurrentKernel: () => dRecurrentKernel!,
        h0: () => dh0!,
        c0: () => dc0!,
        // Dropout and time masks are constants of the call.
        recurrentMasks: () => tf.zeros(recurrentMasks!.shape),
        timeMask: () => tf.zeros(timeMask!.shape),
      };
    },
  });
}

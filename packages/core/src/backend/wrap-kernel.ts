/**
 * One way to replace a kernel TF.js registered for a backend with Strata's version of it, used by
 * every speed and correctness fix in this folder. The replacement receives the original kernel
 * function, so it can hand cases it does not cover back to it.
 */
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** What a kernel function receives. */
export type KernelArgs = { inputs: Record<string, TensorInfo>; backend: object; attrs?: NamedAttrMap };

/** A replacement kernel: computes the result itself or returns `inner(args)`. */
export type KernelReplacement = (args: KernelArgs, inner: KernelFunc) => TensorInfo | TensorInfo[];

/** Per fix, the kernel functions it installed, so calling a fix twice does not wrap twice. */
const installedBy = new Map<string, WeakSet<KernelFunc>>();

/**
 * Replaces the `kernelName` kernel of `backendName` with `replacement`, keeping the original's
 * setup and dispose hooks (they bind the entry points the original uses). Idempotent per `fix`
 * (the name of the calling registration function, also used in the error); different fixes may
 * wrap the same kernel one over the other. Returns the kernel function now registered.
 */
export function wrapKernel(
  fix: string,
  kernelName: string,
  backendName: string,
  replacement: KernelReplacement,
): KernelFunc {
  const original = getKernel(kernelName, backendName);
  if (original == null) {
    throw new Error(
      `${fix}: no '${kernelName}' kernel for '${backendName}'; import @tensorflow/tfjs-backend-${backendName} first.`,
    );
  }
  const installed = installedBy.get(fix) ?? new WeakSet<KernelFunc>();
  installedBy.set(fix, installed);
  if (installed.has(original.kernelFunc)) return original.kernelFunc;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => replacement(args as KernelArgs, inner);
  installed.add(kernelFunc);
  unregisterKernel(kernelName, backendName);
  registerKernel({ ...original, kernelFunc });
  return kernelFunc;
}

/** An on/off switch for a speed fix, so tests and benchmarks can compare it with the kernel it wraps. */
export class FixSwitch {
  private enabled = true;

  /** Whether the fix handles calls right now. */
  get on(): boolean {
    return this.enabled;
  }

  /** Runs `fn` with the fix off: every call goes to the wrapped kernel. */
  without<T>(fn: () => T): T {
    const outer = this.enabled;
    this.enabled = false;
    try {
      return fn();
    } finally {
      this.enabled = outer;
    }
  }
}

/**
 * A bound on the weights a model may create while it is built from a file: a few bytes
 * of config can ask for `Dense(2 ** 31)`, which would allocate gigabytes before any
 * weight is read. While a budget is active, every new weight is charged before its
 * initial value is allocated, and one over the budget is refused with the loader's error.
 *
 * @packageDocumentation
 */

/** What a budget allows and how to report going over it. */
export interface WeightBudget {
  /** Bytes all weights created under the budget may take together. */
  maxTotalBytes: number;
  /** Bytes one weight may take. */
  maxArrayBytes: number;
  /** Makes the error thrown when a weight does not fit (the loader's typed error). */
  refuse: (problem: string) => Error;
}

interface ActiveBudget extends WeightBudget {
  used: number;
}

let active: ActiveBudget | undefined;

/** Runs `build` (synchronously) with every weight it creates charged to `budget`. */
export function withWeightBudget<T>(budget: WeightBudget, build: () => T): T {
  const previous = active;
  active = { ...budget, used: 0 };
  try {
    return build();
  } finally {
    active = previous;
  }
}

/**
 * Charges one weight about to be created (4 bytes per element, as TF.js stores it).
 *
 * @throws the budget's error when the shape is not a list of non-negative integers or the weight does not fit
 */
export function chargeWeight(layerName: string, weightName: string, shape: readonly number[]): void {
  if (active === undefined) return;
  const count = shape.reduce((product, size) => product * size, 1);
  const what = `layer "${layerName}" would create weight ${weightName} of shape (${shape.join(', ')})`;
  if (!shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
    throw active.refuse(`${what}, which is not a list of non-negative integers`);
  }
  const bytes = count * 4;
  if (bytes > active.maxArrayBytes) {
    throw active.refuse(
      `${what} (${bytes} bytes), more than limits.maxMemberBytes (${active.maxArrayBytes}); if the file is trusted, raise limits.maxMemberBytes`,
    );
  }
  active.used += bytes;
  if (active.used > active.maxTotalBytes) {
    throw active.refuse(
      `${what}, bringing the model's weights to ${active.used} bytes, more than limits.maxTotalBytes (${active.maxTotalBytes}); if the file is trusted, raise limits.maxTotalBytes`,
    );
  }
}

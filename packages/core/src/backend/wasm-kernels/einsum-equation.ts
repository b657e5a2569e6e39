/**
 * Parsing and planning of einsum equations for the WASM Einsum kernel.
 *
 * Supported: one or two operands, explicit ('ab,bc->ac') or implicit ('ab,bc') output, no
 * ellipsis, no repeated letter inside one operand, equal sizes for a shared letter (no
 * broadcasting). Two-operand equations become transposes + one batched matmul.
 */

/** How one operand is brought into matmul form. */
export interface OperandPlan {
  /** Axes summed away before anything else (letters in neither the output nor the other operand). */
  sumAxes: number[];
  /** Permutation applied after summing. */
  perm: number[];
  /** Rank-3 shape [batch, rows, cols] after the permutation (two-operand case). */
  matrixShape: [number, number, number];
}

/** A complete plan; for one operand `b` is null and `matrixShape` is unused. */
export interface EinsumPlan {
  a: OperandPlan;
  b: OperandPlan | null;
  /** Shape of the matmul result unflattened: batch letters, free-A letters, free-B letters. */
  productShape: number[];
  /** Permutation from the product (or the summed single operand) to the output order. */
  outputPerm: number[];
  outputShape: number[];
}

/** Thrown for equations this kernel does not handle; names the equation. */
export function unsupported(equation: string, why: string): Error {
  return new Error(
    `Einsum (strata wasm kernel): unsupported equation '${equation}': ${why}. Supported: 1 or 2 operands, ` +
      `letters a-z/A-Z, optional '->' output, no '...', no letter repeated within one operand.`,
  );
}

function parseTerms(equation: string): { inputs: string[]; output: string } {
  const compact = equation.replace(/\s+/g, '');
  if (compact.includes('.')) throw unsupported(equation, 'ellipsis is not supported');
  const [lhs, rhs, extra] = compact.split('->');
  if (extra !== undefined || lhs === undefined) throw unsupported(equation, "more than one '->'");
  const inputs = lhs.split(',');
  for (const term of [...inputs, rhs ?? '']) {
    if (!/^[a-zA-Z]*$/.test(term)) throw unsupported(equation, `term '${term}' has characters other than letters`);
  }
  let output = rhs;
  if (output === undefined) {
    // Implicit mode: letters appearing exactly once, in alphabetical order.
    const counts = new Map<string, number>();
    for (const ch of inputs.join('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    output = [...counts]
      .filter(([, c]) => c === 1)
      .map(([ch]) => ch)
      .sort()
      .join('');
  }
  return { inputs, output };
}

/** Builds the execution plan for `equation` over operands with the given shapes. */
export function planEinsum(equation: string, shapes: number[][]): EinsumPlan {
  const { inputs, output } = parseTerms(equation);
  if (inputs.length !== shapes.length) {
    throw new Error(
      `Einsum: equation '${equation}' has ${inputs.length} operand(s) but ${shapes.length} tensor(s) were given.`,
    );
  }
  if (inputs.length < 1 || inputs.length > 2) throw unsupported(equation, `${inputs.length} operands`);
  const sizes = new Map<string, number>();
  inputs.forEach((term, t) => {
    const shape = shapes[t] as number[];
    if (term.length !== shape.length) {
      throw new Error(
        `Einsum: operand ${t} of '${equation}' is '${term}' (rank ${term.length}) but has shape [${shape.join(', ')}].`,
      );
    }
    if (new Set(term).size !== term.length) throw unsupported(equation, `letter repeated within operand '${term}'`);
    [...term].forEach((ch, axis) => {
      const size = shape[axis] as number;
      const seen = sizes.get(ch);
      if (seen !== undefined && seen !== size) {
        throw new Error(
          `Einsum: letter '${ch}' of '${equation}' has sizes ${seen} and ${size}; broadcasting is not supported.`,
        );
      }
      sizes.set(ch, size);
    });
  });
  if (new Set(output).size !== output.length) throw unsupported(equation, 'letter repeated in the output');
  for (const ch of output) {
    if (!sizes.has(ch)) throw new Error(`Einsum: output letter '${ch}' of '${equation}' appears in no operand.`);
  }
  const size = (ch: string): number => sizes.get(ch) as number;
  const outputShape = [...output].map(size);
  const termA = inputs[0] as string;
  const termB = inputs[1];

  if (termB === undefined) {
    const kept = [...termA].filter((ch) => output.includes(ch));
    const sumAxes = [...termA].flatMap((ch, i) => (output.includes(ch) ? [] : [i]));
    return {
      a: { sumAxes, perm: [], matrixShape: [1, 1, 1] },
      b: null,
      productShape: kept.map(size),
      outputPerm: [...output].map((ch) => kept.indexOf(ch)),
      outputShape,
    };
  }
  const keptIn = (term: string, other: string): string[] =>
    [...term].filter((ch) => output.includes(ch) || other.includes(ch));
  const sumAxesOf = (term: string, other: string): number[] =>
    [...term].flatMap((ch, i) => (output.includes(ch) || other.includes(ch) ? [] : [i]));
  const keptA = keptIn(termA, termB);
  const keptB = keptIn(termB, termA);
  const batch = keptA.filter((ch) => keptB.includes(ch) && output.includes(ch));
  const contract = keptA.filter((ch) => keptB.includes(ch) && !output.includes(ch));
  const freeA = keptA.filter((ch) => !keptB.includes(ch));
  const freeB = keptB.filter((ch) => !keptA.includes(ch));
  const product = (letters: string[]): number => letters.reduce((p, ch) => p * size(ch), 1);
  const batchSize = product(batch);
  const a: OperandPlan = {
    sumAxes: sumAxesOf(termA, termB),
    perm: [...batch, ...freeA, ...contract].map((ch) => keptA.indexOf(ch)),
    matrixShape: [batchSize, product(freeA), product(contract)],
  };
  const b: OperandPlan = {
    sumAxes: sumAxesOf(termB, termA),
    perm: [...batch, ...contract, ...freeB].map((ch) => keptB.indexOf(ch)),
    matrixShape: [batchSize, product(contract), product(freeB)],
  };
  const productLetters = [...batch, ...freeA, ...freeB];
  return {
    a,
    b,
    productShape: productLetters.map(size),
    outputPerm: [...output].map((ch) => productLetters.indexOf(ch)),
    outputShape,
  };
}

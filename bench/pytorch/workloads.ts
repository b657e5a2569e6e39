/** Issue 9's workloads, shared by bench.ts (the table) and strata-workloads.ts (Strata's runs). */

/** A workload, as issue 9 names it. */
export type Workload = 'A' | 'B' | 'B0' | 'C';

/** Every workload, in the table's order. */
export const WORKLOADS: readonly Workload[] = ['A', 'B', 'B0', 'C'];

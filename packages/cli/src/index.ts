/**
 * `@strata/cli`: the `strata` command as a library, for running it in-process.
 *
 * @packageDocumentation
 */
export { run, main, cliVersion, type CliIo } from './cli.js';
export { processIo, useColor } from './io.js';
export { summarizeModel, renderSummary, formatShape, type ModelSummary, type SummaryRow } from './summary.js';
/** Moved to `@strata/graph` (the layer-facts table); re-exported for existing users of the CLI package. */
export { countLayerParams, type ParamCount } from '@strata/graph';
export { expandFileArguments, type ExpandedArgument } from './expand-files.js';
export {
  inspectModelFile,
  renderInspection,
  weightBytes,
  type Inspection,
  type InspectedLayer,
  type InspectedWeight,
} from './inspect.js';
export { generateModelCode, CodegenError } from './codegen.js';

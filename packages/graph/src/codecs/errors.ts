/** Thrown when a model file's JSON does not have the structure its format requires. */
export class ModelFormatError extends Error {
  /** Where in the document the problem is, e.g. `config.layers[3].inbound_nodes[0]`. */
  readonly where: string;

  /**
   * @param where - path of the offending value inside the document
   * @param problem - what is wrong there
   */
  constructor(where: string, problem: string) {
    super(where === '' ? problem : `${where}: ${problem}`);
    this.name = 'ModelFormatError';
    this.where = where;
  }
}

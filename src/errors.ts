/**
 * Error classes. Every error names what it is about (column, term, row, position) so that a
 * statistician can find the problem in their data or formula without reading our source.
 */

/** Base class of every error glmm-wasm throws on purpose. */
export class GlmmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The formula text cannot be parsed; `position` is the 0-based character offset. */
export class FormulaSyntaxError extends GlmmError {
  constructor(
    message: string,
    readonly formula: string,
    readonly position: number,
  ) {
    super(
      `${message} at position ${position} in formula\n  ${formula}\n  ${' '.repeat(position)}^`,
    );
  }
}

/** The formula parses but describes a model we cannot build (e.g. no random term). */
export class ModelSpecError extends GlmmError {
  constructor(
    message: string,
    readonly term?: string,
  ) {
    super(term === undefined ? message : `${message} (term '${term}')`);
  }
}

/** A problem with the data: a column missing, of the wrong type, or with bad values. */
export class DataError extends GlmmError {
  constructor(
    message: string,
    readonly column?: string,
    /** 1-based row number in the caller's data, when one row is to blame. */
    readonly row?: number,
  ) {
    super(message);
  }
}

/** The formula names a column that the data do not have. */
export class UnknownColumnError extends DataError {
  constructor(column: string, available: readonly string[]) {
    super(
      `unknown column '${column}' (the data have: ${available.slice(0, 20).join(', ')}${available.length > 20 ? ', ...' : ''})`,
      column,
    );
  }
}

/** An option passed to a fitting function is invalid. */
export class OptionError extends GlmmError {
  constructor(
    message: string,
    readonly option: string,
  ) {
    super(`option '${option}': ${message}`);
  }
}

/** A numerical failure inside the fit (non-positive-definite system, PIRLS divergence). */
export class FitError extends GlmmError {}

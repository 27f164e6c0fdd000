/** The per-row options `weights` and `offset`: a column name or one number per row of the data. */
import { numericColumn } from '../frame/modelframe';
import type { DataInput, ModelFrame } from '../frame/types';
import { DataError, OptionError } from '../errors';
import { describe } from '../options';

export type RowOption = string | readonly number[] | Float64Array;

/** Column names among the row options (their missing values drop rows with the rest). */
export function rowOptionColumns(...values: (RowOption | undefined)[]): string[] {
  return values.filter((v): v is string => typeof v === 'string');
}

export function checkRowOptionType(value: unknown, name: string): void {
  if (value === undefined || typeof value === 'string') return;
  if (Array.isArray(value) || value instanceof Float64Array) return;
  if (ArrayBuffer.isView(value)) return;
  throw new OptionError(
    `must be a column name or an array with one number per row, got ${describe(value)}`,
    name,
  );
}

/** Per-kept-row values of a row option, or null when it was not given. */
function rowValues(
  data: DataInput,
  frame: ModelFrame,
  value: RowOption | undefined,
  name: 'weights' | 'offset',
): Float64Array | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return numericColumn(data, value, frame.rowIndex);
  const nRows = Array.isArray(data) ? data.length : frame.rowIndex.length + frame.nDropped;
  if (value.length !== nRows) {
    throw new DataError(
      `the ${name} option has ${value.length} values but the data have ${nRows} rows`,
      name,
    );
  }
  return Float64Array.from(frame.rowIndex, (r) => {
    const v = value[r];
    if (typeof v !== 'number') {
      throw new DataError(`the ${name} option has a non-number at row ${r + 1}`, name, r + 1);
    }
    return v;
  });
}

/** Prior weights: finite and non-negative, not all zero. */
export function priorWeights(
  data: DataInput,
  frame: ModelFrame,
  value: RowOption | undefined,
): Float64Array | null {
  const w = rowValues(data, frame, value, 'weights');
  if (w === null) return null;
  const column = typeof value === 'string' ? value : 'weights';
  w.forEach((x, i) => {
    if (!(x >= 0) || !Number.isFinite(x)) {
      const row = frame.rowIndex[i] + 1;
      throw new DataError(
        `weights must be finite and non-negative (row ${row} has ${x})`,
        column,
        row,
      );
    }
  });
  if (w.every((x) => x === 0)) {
    throw new DataError('all weights are 0: there is nothing to fit', column);
  }
  return w;
}

/** Offset values: finite. */
export function offsetValues(
  data: DataInput,
  frame: ModelFrame,
  value: RowOption | undefined,
): Float64Array | null {
  const o = rowValues(data, frame, value, 'offset');
  if (o === null) return null;
  o.forEach((x, i) => {
    if (!Number.isFinite(x)) {
      const row = frame.rowIndex[i] + 1;
      throw new DataError(`offset must be finite (row ${row} has ${x})`, 'offset', row);
    }
  });
  return o;
}

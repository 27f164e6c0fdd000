/**
 * Normalizes the caller's data (a column table or an array of row objects) into typed columns,
 * lazily and without mutating the input. Missing values: null, undefined, NaN, '' and 'NA'.
 */
import { DataError, UnknownColumnError } from '../errors';
import type { DataInput } from './types';

/** A column after normalization. */
export type RawColumn =
  | { kind: 'numeric'; values: Float64Array } // NaN marks a missing value
  | {
      kind: 'string';
      values: (string | null)[]; // null marks a missing value
      /** Set when the column is mostly numbers: which values made it categorical. */
      mixed?: string;
    }
  | { kind: 'logical'; values: (boolean | null)[] };

/** Read-only view of the data as named columns of equal length. */
export interface Table {
  readonly names: readonly string[];
  readonly nRows: number;
  has(name: string): boolean;
  /** The normalized column; throws UnknownColumnError for an unknown name. */
  column(name: string): RawColumn;
}

/** True for the values R would read as NA. */
export function isMissing(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === 'number' && Number.isNaN(v)) ||
    v === '' ||
    v === 'NA'
  );
}

function normalizeValues(values: ArrayLike<unknown>, name: string): RawColumn {
  const n = values.length;
  if (ArrayBuffer.isView(values)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
    return { kind: 'numeric', values: out };
  }
  let numbers = 0;
  let strings = 0;
  let logicals = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string') strings++;
    else if (typeof v === 'boolean') logicals++;
    else {
      throw new DataError(
        `column '${name}' has a value of type ${typeof v} at row ${i + 1}; expected numbers or strings`,
        name,
        i + 1,
      );
    }
  }
  if (strings === 0 && logicals === 0) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = isMissing(v) ? NaN : (v as number);
    }
    return { kind: 'numeric', values: out };
  }
  if (strings === 0 && numbers === 0) {
    const out: (boolean | null)[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = isMissing(values[i]) ? null : (values[i] as boolean);
    return { kind: 'logical', values: out };
  }
  const out: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = isMissing(v) ? null : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
  }
  const mixed = mixedNote(values, name);
  return mixed === undefined
    ? { kind: 'string', values: out }
    : { kind: 'string', values: out, mixed };
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * For a column of mostly numbers (given as numbers or as numeric text) with a few other values:
 * a note naming them and their rows, since such a column silently becomes categorical.
 */
function mixedNote(values: ArrayLike<unknown>, name: string): string | undefined {
  let numeric = 0;
  const others: string[] = [];
  // Among real numbers, numeric text ('0.5') is stray too: the column still turns categorical.
  const hasNumbers = Array.prototype.some.call(
    values,
    (v) => typeof v === 'number' && !isMissing(v),
  );
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    const numericText = typeof v === 'string' && NUMBER_TEXT.test(v);
    if (typeof v === 'number' || (numericText && !hasNumbers)) numeric++;
    else others.push(`'${String(v)}'${numericText ? ' (text)' : ''} at row ${i + 1}`);
  }
  if (others.length === 0 || numeric < others.length) return undefined;
  const shown = others.slice(0, 3).join(', ');
  const more = others.length > 3 ? `, and ${others.length - 3} more` : '';
  return `column '${name}' has ${numeric} numbers and ${others.length} non-numeric value${others.length === 1 ? '' : 's'} (${shown}${more}); it is treated as categorical`;
}

/** Wraps the caller's data; columns are converted on first use and cached. */
export function makeTable(data: DataInput): Table {
  if (data === null || typeof data !== 'object') {
    throw new DataError('data must be a column table {name: values} or an array of row objects');
  }
  if (data instanceof Map) {
    throw new DataError(
      'data must be a plain object {name: values}, not a Map (use Object.fromEntries(map))',
    );
  }
  const cache = new Map<string, RawColumn>();
  if (Array.isArray(data)) {
    const rows = data as readonly Record<string, unknown>[];
    const names: string[] = [];
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (row === null || typeof row !== 'object') {
        throw new DataError(`row ${i + 1} of the data is not an object`, undefined, i + 1);
      }
      // an array of arrays has no column names: its "columns" would be 0, 1, 2, ...
      if (Array.isArray(row) || ArrayBuffer.isView(row)) {
        throw new DataError(
          `row ${i + 1} of the data is an array, not an object {column: value}; pass an array of row objects or a column table`,
          undefined,
          i + 1,
        );
      }
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    });
    return {
      names,
      nRows: rows.length,
      has: (name) => seen.has(name),
      column(name) {
        let c = cache.get(name);
        if (c === undefined) {
          if (!seen.has(name)) throw new UnknownColumnError(name, names);
          const vals = rows.map((r) =>
            Object.prototype.hasOwnProperty.call(r, name) ? r[name] : null,
          );
          c = normalizeValues(vals, name);
          cache.set(name, c);
        }
        return c;
      },
    };
  }
  const table = data as Record<string, ArrayLike<unknown>>;
  const names = Object.keys(table);
  let nRows = 0;
  names.forEach((name, k) => {
    const col = table[name];
    if (col === null || typeof col !== 'object' || typeof col.length !== 'number') {
      throw new DataError(`column '${name}' is not an array`, name);
    }
    if (k === 0) nRows = col.length;
    else if (col.length !== nRows) {
      throw new DataError(
        `column '${name}' has ${col.length} values but column '${names[0]}' has ${nRows}`,
        name,
      );
    }
  });
  return {
    names,
    nRows,
    has: (name) => Object.prototype.hasOwnProperty.call(table, name),
    column(name) {
      let c = cache.get(name);
      if (c === undefined) {
        if (!Object.prototype.hasOwnProperty.call(table, name))
          throw new UnknownColumnError(name, names);
        c = normalizeValues(table[name], name);
        cache.set(name, c);
      }
      return c;
    },
  };
}
